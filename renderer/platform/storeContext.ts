import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';

import { BugError } from '../../shared/errors/AppError';

/**
 * A React context that carries one vanilla zustand store. Stores are created by their provider, never at module
 * level, so each page (and each test) gets its own state and its own API.
 */
export function createStoreContext<S>(what: string) {
  const Context = createContext<StoreApi<S> | null>(null);

  function useStoreApi(): StoreApi<S> {
    const store = useContext(Context);
    if (!store) {
      throw new BugError(`${what} store used outside its provider`);
    }
    return store;
  }

  function useSelector<T>(selector: (state: S) => T): T {
    return useStore(useStoreApi(), selector);
  }

  return { Context, useStoreApi, useSelector };
}
