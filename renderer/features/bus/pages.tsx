import { lazy } from 'react';

import { definePage, type FeaturePages } from '../../platform/pages';

declare module '../../platform/routes' {
  interface Routes {
    bus: { page: 'bus' };
  }
}

const BusPage = lazy(() => import('./BusPage').then((m) => ({ default: m.BusPage })));

export const busPages: FeaturePages = {
  pages: [
    definePage({
      page: 'bus',
      parse: ([first]) => (first === 'bus' ? { page: 'bus' } : null),
      path: () => '/bus',
      render: () => <BusPage />,
    }),
  ],
  nav: { labelId: 'bus.nav', testId: 'nav-bus', to: { page: 'bus' }, current: ['bus'] },
};
