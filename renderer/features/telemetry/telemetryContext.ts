import { createStoreContext } from '../../platform/storeContext';
import type { TelemetryState } from './telemetryStore';

export const telemetryContext = createStoreContext<TelemetryState>('telemetry');

export const useTelemetry = telemetryContext.useSelector;
