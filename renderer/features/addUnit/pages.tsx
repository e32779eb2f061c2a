import { lazy } from 'react';

import { definePage, type FeaturePages } from '../../platform/pages';

declare module '../../platform/routes' {
  interface Routes {
    add: { page: 'add' };
  }
}

const AddUnitPage = lazy(() => import('./AddUnitPage').then((m) => ({ default: m.AddUnitPage })));

export const addUnitPages: FeaturePages = {
  pages: [
    definePage({
      page: 'add',
      parse: ([first]) => (first === 'add' ? { page: 'add' } : null),
      path: () => '/add',
      render: () => <AddUnitPage />,
    }),
  ],
};
