import { lazy } from 'react';

import { definePage, pathOf, type FeaturePages } from '../../platform/pages';
import '../../styles/procedures.css';

declare module '../../platform/routes' {
  interface Routes {
    procedures: { page: 'procedures' };
    procedure: { page: 'procedure'; id: string };
    /** Guided recovery from a check; `procedure`, when given, is the one its finding preselects. */
    recover: { page: 'recover'; unit: string; checkId: string; procedure?: string | undefined };
    run: { page: 'run'; runId: string };
    report: { page: 'report'; runId: string };
  }
}

const LibraryPage = lazy(() => import('./LibraryPage').then((m) => ({ default: m.LibraryPage })));
const ProcedurePage = lazy(() => import('./ProcedurePage').then((m) => ({ default: m.ProcedurePage })));
const RecoverPage = lazy(() => import('./RecoverPage').then((m) => ({ default: m.RecoverPage })));
const RunPage = lazy(() => import('./RunPage').then((m) => ({ default: m.RunPage })));
const ReportPage = lazy(() => import('./ReportPage').then((m) => ({ default: m.ReportPage })));

/** The procedure library, one procedure, guided recovery, a run and its printable report. */
export const procedurePages: FeaturePages = {
  pages: [
    definePage({
      page: 'procedures',
      parse: ([first, second]) => (first === 'procedures' && !second ? { page: 'procedures' } : null),
      path: () => '/procedures',
      render: () => <LibraryPage />,
    }),
    definePage({
      page: 'procedure',
      parse: ([first, id]) => (first === 'procedures' && id ? { page: 'procedure', id } : null),
      path: (route) => pathOf('procedures', route.id),
      render: (route) => <ProcedurePage key={route.id} id={route.id} />,
    }),
    definePage({
      page: 'recover',
      parse: ([first, unit, checkId, procedure]) =>
        first === 'recover' && unit && checkId
          ? { page: 'recover', unit, checkId, ...(procedure ? { procedure } : {}) }
          : null,
      path: (route) =>
        pathOf('recover', route.unit, route.checkId, ...(route.procedure === undefined ? [] : [route.procedure])),
      render: (route) => (
        <RecoverPage
          key={`${route.unit}/${route.checkId}/${route.procedure ?? ''}`}
          unit={route.unit}
          checkId={route.checkId}
          preselected={route.procedure}
        />
      ),
    }),
    definePage({
      page: 'report',
      parse: ([first, runId, third, fourth]) =>
        first === 'run' && runId && third === 'report' && fourth === undefined ? { page: 'report', runId } : null,
      path: (route) => pathOf('run', route.runId, 'report'),
      render: (route) => <ReportPage key={route.runId} runId={route.runId} />,
    }),
    definePage({
      page: 'run',
      parse: ([first, runId]) => (first === 'run' && runId ? { page: 'run', runId } : null),
      path: (route) => pathOf('run', route.runId),
      render: (route) => <RunPage key={route.runId} runId={route.runId} />,
    }),
  ],
  nav: {
    labelId: 'nav.procedures',
    testId: 'nav-procedures',
    to: { page: 'procedures' },
    current: ['procedures', 'procedure', 'recover', 'run', 'report'],
  },
};
