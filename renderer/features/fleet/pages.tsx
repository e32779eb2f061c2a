import { lazy } from 'react';

import { definePage, type FeaturePages } from '../../platform/pages';

declare module '../../platform/routes' {
  interface Routes {
    fleet: { page: 'fleet' };
  }
}

const FleetPage = lazy(() => import('./FleetPage').then((m) => ({ default: m.FleetPage })));

/** The fleet at `/`: also where any address no page reads leads. */
export const fleetPages: FeaturePages = {
  pages: [
    definePage({
      page: 'fleet',
      parse: (parts) => (parts.length === 0 ? { page: 'fleet' } : null),
      path: () => '/',
      render: () => <FleetPage />,
    }),
  ],
  nav: { labelId: 'nav.fleet', testId: 'nav-fleet', to: { page: 'fleet' }, current: ['fleet'] },
};
