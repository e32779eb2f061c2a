import { createStoreContext } from '../../platform/storeContext';
import type { AddUnitState } from './addUnitStore';

export const addUnitContext = createStoreContext<AddUnitState>('add unit');

export const useAddUnit = addUnitContext.useSelector;
