import { createStoreContext } from '../../platform/storeContext';
import type { LogsState } from './logsStore';

export const logsContext = createStoreContext<LogsState>('logs');

export const useLogs = logsContext.useSelector;
