import { lazy } from 'react';

import { definePage, pathOf, type FeaturePages } from '../../platform/pages';

declare module '../../platform/routes' {
  interface Routes {
    session: { page: 'session'; name: string; sessionId: string };
  }
}

const SessionPage = lazy(() => import('./SessionPage').then((m) => ({ default: m.SessionPage })));

/** A recorded console session: `/unit/NAME/session/ID`. */
export const terminalPages: FeaturePages = {
  pages: [
    definePage({
      page: 'session',
      parse: ([first, name, second, sessionId]) =>
        first === 'unit' && name && second === 'session' && sessionId ? { page: 'session', name, sessionId } : null,
      path: (route) => pathOf('unit', route.name, 'session', route.sessionId),
      render: (route) => <SessionPage key={route.sessionId} name={route.name} sessionId={route.sessionId} />,
    }),
  ],
};
