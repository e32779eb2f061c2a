import { lazy } from 'react';

import { definePage, pathOf, type FeaturePages } from '../../platform/pages';

declare module '../../platform/routes' {
  interface Routes {
    backups: { page: 'backups' };
    unitBackups: { page: 'unitBackups'; name: string };
    /** The restore wizard, optionally with the backup already chosen. */
    restore: { page: 'restore'; name: string; backupId: string | null };
  }
}

const BackupsPage = lazy(() => import('./BackupsPage').then((m) => ({ default: m.BackupsPage })));
const UnitBackupsPage = lazy(() => import('./UnitBackupsPage').then((m) => ({ default: m.UnitBackupsPage })));
const RestoreWizard = lazy(() => import('./RestoreWizard').then((m) => ({ default: m.RestoreWizard })));

/** The fleet's backups, one unit's, and the restore wizard. */
export const backupPages: FeaturePages = {
  pages: [
    definePage({
      page: 'backups',
      parse: ([first, name]) => (first === 'backups' && !name ? { page: 'backups' } : null),
      path: () => '/backups',
      render: () => <BackupsPage />,
    }),
    definePage({
      page: 'restore',
      parse: ([first, name, third, backupId]) =>
        first === 'backups' && name && third === 'restore'
          ? { page: 'restore', name, backupId: backupId ?? null }
          : null,
      path: (route) => pathOf('backups', route.name, 'restore', ...(route.backupId === null ? [] : [route.backupId])),
      render: (route) => (
        <RestoreWizard key={`${route.name}/${route.backupId ?? ''}`} name={route.name} backupId={route.backupId} />
      ),
    }),
    definePage({
      page: 'unitBackups',
      parse: ([first, name]) => (first === 'backups' && name ? { page: 'unitBackups', name } : null),
      path: (route) => pathOf('backups', route.name),
      render: (route) => <UnitBackupsPage key={route.name} name={route.name} />,
    }),
  ],
  nav: {
    labelId: 'nav.backups',
    testId: 'nav-backups',
    to: { page: 'backups' },
    current: ['backups', 'unitBackups', 'restore'],
  },
};
