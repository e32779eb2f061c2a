import { lazy } from 'react';

import { definePage, pathOf, type FeaturePages } from '../../platform/pages';

declare module '../../platform/routes' {
  interface Routes {
    logbook: { page: 'logbook' };
    serviceRecord: { page: 'serviceRecord'; name: string };
    siteReport: { page: 'siteReport' };
  }
}

const LogbookPage = lazy(() => import('./LogbookPage').then((m) => ({ default: m.LogbookPage })));
const ServiceRecordPage = lazy(() => import('./ServiceRecordPage').then((m) => ({ default: m.ServiceRecordPage })));
const SiteReportPage = lazy(() => import('./SiteReportPage').then((m) => ({ default: m.SiteReportPage })));

/** The fleet's logbook, a unit's service record (`/unit/NAME/record`) and the site report. */
export const logbookPages: FeaturePages = {
  pages: [
    definePage({
      page: 'logbook',
      parse: ([first]) => (first === 'logbook' ? { page: 'logbook' } : null),
      path: () => '/logbook',
      render: () => <LogbookPage />,
    }),
    definePage({
      page: 'serviceRecord',
      parse: ([first, name, second]) =>
        first === 'unit' && name && second === 'record' ? { page: 'serviceRecord', name } : null,
      path: (route) => pathOf('unit', route.name, 'record'),
      render: (route) => <ServiceRecordPage key={route.name} name={route.name} />,
    }),
    definePage({
      page: 'siteReport',
      parse: ([first, second]) => (first === 'reports' && second === 'site' ? { page: 'siteReport' } : null),
      path: () => '/reports/site',
      render: () => <SiteReportPage />,
    }),
  ],
  // The service record sits under its unit: the logbook's link is current on the fleet-wide pages only.
  nav: { labelId: 'nav.logbook', testId: 'nav-logbook', to: { page: 'logbook' }, current: ['logbook', 'siteReport'] },
};
