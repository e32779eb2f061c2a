import { createContext, useContext, type ReactNode } from 'react';

import type { WorkstationApi } from '../../shared/ipc/api';
import { BugError } from '../../shared/errors/AppError';

const ApiContext = createContext<WorkstationApi | null>(null);

/** Hands the typed API down the tree, so components never reach for a global and tests can pass a fake. */
export function ApiProvider({ api, children }: { api: WorkstationApi; children: ReactNode }) {
  return <ApiContext value={api}>{children}</ApiContext>;
}

export function useApi(): WorkstationApi {
  const api = useContext(ApiContext);
  if (!api) {
    throw new BugError('useApi() outside <ApiProvider>');
  }
  return api;
}
