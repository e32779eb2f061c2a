import { createStoreContext } from '../storeContext';
import type { UnitState } from './unitStore';

export const unitContext = createStoreContext<UnitState>('unit');

export const useUnit = unitContext.useSelector;
