import { useEffect, useState, type ReactNode } from 'react';

import { useApi } from '../ApiProvider';
import { useLiveStatus } from '../LiveStatusProvider';
import { createStoreContext } from '../storeContext';
import { createFleetStore, type FleetState } from './fleetStore';

const fleet = createStoreContext<FleetState>('fleet');

export const useFleet = fleet.useSelector;

/** Holds the fleet list for the whole app, so it stays live (and warm) while the technician moves between pages. */
export function FleetProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [store] = useState(() => createFleetStore(api));
  const { generation } = useLiveStatus();
  // Each new generation of the event stream may have missed events: follow them again, which reloads the list.
  useEffect(() => store.getState().actions.connect(), [store, generation]);
  return <fleet.Context value={store}>{children}</fleet.Context>;
}
