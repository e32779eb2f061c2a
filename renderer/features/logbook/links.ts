import type { LogbookLink } from '../../../shared/domain/logbookKinds';
import type { MessageKey } from '../../i18n/en';
import type { Route } from '../../platform/routes';

/** Where a logbook link goes in this UI, and what the button says. */
export function linkRoute(link: LogbookLink): { route: Route; label: MessageKey } {
  switch (link.target) {
    case 'diagnosis':
      return { route: { page: 'unit', name: link.unit }, label: 'logbook.open.diagnosis' };
    case 'run':
      return { route: { page: 'run', runId: link.runId }, label: 'logbook.open.run' };
    case 'report':
      return { route: { page: 'report', runId: link.runId }, label: 'logbook.open.report' };
    case 'backups':
      return { route: { page: 'unitBackups', name: link.unit }, label: 'logbook.open.backups' };
    case 'unit':
      return { route: { page: 'unit', name: link.unit }, label: 'logbook.open.unit' };
    case 'bus':
      return { route: { page: 'bus' }, label: 'logbook.open.bus' };
    case 'settings':
      return { route: { page: 'settings' }, label: 'logbook.open.settings' };
    case 'session':
      return { route: { page: 'session', name: link.unit, sessionId: link.sessionId }, label: 'logbook.open.session' };
    case 'logView':
      return { route: { page: 'logView', name: link.unit, viewId: link.viewId }, label: 'logbook.open.logView' };
    case 'files':
      return { route: { page: 'unit', name: link.unit, tab: 'files', path: link.path }, label: 'logbook.open.file' };
  }
}
