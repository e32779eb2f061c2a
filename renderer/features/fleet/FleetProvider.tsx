import { useEffect, useState, type ReactNode } from 'react';

import { useApi } from '../../platform/ApiProvider';
import { createStoreContext } from '../../platform/storeContext';
import { createFleetStore, type FleetState } from './fleetStore';

const fleet = createStoreContext<FleetState>('fleet');

export const useFleet = fleet.useSelector;

/** Holds the fleet list for the whole app, so it stays live (and warm) while the technician moves between pages. */
export function FleetProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [store] = useState(() => createFleetStore(api));
  useEffect(() => store.getState().actions.connect(), [store]);
  return <fleet.Context value={store}>{children}</fleet.Context>;
}
