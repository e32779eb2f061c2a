import { createStoreContext } from '../../platform/storeContext';
import type { BusState } from './busStore';

export const busContext = createStoreContext<BusState>('bus');

export const useBus = busContext.useSelector;
