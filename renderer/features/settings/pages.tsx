import { lazy } from 'react';

import { definePage, type FeaturePages } from '../../platform/pages';

declare module '../../platform/routes' {
  interface Routes {
    settings: { page: 'settings' };
  }
}

const SettingsPage = lazy(() => import('./SettingsPage').then((m) => ({ default: m.SettingsPage })));

export const settingsPages: FeaturePages = {
  pages: [
    definePage({
      page: 'settings',
      parse: ([first]) => (first === 'settings' ? { page: 'settings' } : null),
      path: () => '/settings',
      render: () => <SettingsPage />,
    }),
  ],
  nav: { labelId: 'nav.settings', testId: 'nav-settings', to: { page: 'settings' }, current: ['settings'] },
};
