import { useEffect, useState, type ReactNode } from 'react';

import { useApi } from '../../platform/ApiProvider';
import { useLiveStatus } from '../../platform/LiveStatusProvider';
import { createStoreContext } from '../../platform/storeContext';
import { createTeamStore, type TeamState } from './teamStore';

const team = createStoreContext<TeamState>('team');

export const useTeam = team.useSelector;

/** The team sync's status for the whole app: the header's indicator and the Fleet page's team view read it. */
export function TeamProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [store] = useState(() => createTeamStore(api));
  const { generation } = useLiveStatus();
  useEffect(() => store.getState().actions.connect(), [store, generation]);
  return <team.Context value={store}>{children}</team.Context>;
}
