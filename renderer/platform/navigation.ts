import type { Unsubscribe } from '../../shared/ipc/api';

/** Where the app is, as a path like `/unit/oht-07`. Hash-based so that it works from file:// in Electron. */
export type Navigation = {
  // Arrow-typed members: React's useSyncExternalStore receives them unbound.
  path: () => string;
  go: (path: string) => void;
  subscribe: (listener: () => void) => Unsubscribe;
};

type HashWindow = Pick<Window, 'addEventListener' | 'removeEventListener'> & { location: Pick<Location, 'hash'> };

export function createHashNavigation(win: HashWindow): Navigation {
  return {
    path: () => {
      const hash = win.location.hash.replace(/^#/, '');
      return hash.startsWith('/') ? hash : `/${hash}`;
    },
    go: (path) => {
      win.location.hash = path;
    },
    subscribe: (listener) => {
      win.addEventListener('hashchange', listener);
      return () => win.removeEventListener('hashchange', listener);
    },
  };
}
