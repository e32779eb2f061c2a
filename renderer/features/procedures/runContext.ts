import { createStoreContext } from '../../platform/storeContext';
import type { RunState } from './runStore';

export const runContext = createStoreContext<RunState>('procedure run');
export const useRun = runContext.useSelector;
