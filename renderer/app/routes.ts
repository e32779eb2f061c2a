/** The unit page's tabs, in the order they show. */
export const UNIT_TABS = ['health', 'telemetry', 'history', 'backups', 'runs', 'terminal', 'logs', 'files'] as const;
export type UnitTab = (typeof UNIT_TABS)[number];

export type Route =
  | { page: 'fleet' }
  | { page: 'add' }
  /** `at`: the Logs tab opens the journal around this moment; `path`: the Files tab opens this file or folder. */
  | { page: 'unit'; name: string; tab?: UnitTab; at?: string; path?: string }
  | { page: 'session'; name: string; sessionId: string }
  | { page: 'logView'; name: string; viewId: string }
  | { page: 'settings' }
  | { page: 'bus' }
  | { page: 'procedures' }
  | { page: 'procedure'; id: string }
  /** Guided recovery from a check; `procedure`, when given, is the one its finding preselects. */
  | { page: 'recover'; unit: string; checkId: string; procedure?: string | undefined }
  | { page: 'run'; runId: string }
  | { page: 'report'; runId: string }
  | { page: 'backups' }
  | { page: 'unitBackups'; name: string }
  | { page: 'restore'; name: string; backupId: string | null }
  | { page: 'logbook' }
  | { page: 'serviceRecord'; name: string }
  | { page: 'siteReport' };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'add') {
    return { page: 'add' };
  }
  if (parts[0] === 'settings') {
    return { page: 'settings' };
  }
  if (parts[0] === 'bus') {
    return { page: 'bus' };
  }
  if (parts[0] === 'logbook') {
    return { page: 'logbook' };
  }
  if (parts[0] === 'reports' && parts[1] === 'site') {
    return { page: 'siteReport' };
  }
  const backupRoute = parseBackupRoute(parts);
  if (backupRoute) {
    return backupRoute;
  }
  const procedureRoute = parseProcedureRoute(parts);
  if (procedureRoute) {
    return procedureRoute;
  }
  if (parts[0] === 'unit' && parts[1]) {
    return parseUnitRoute(parts);
  }
  return { page: 'fleet' };
}

/** `/unit/NAME[/TAB[/DETAIL]]`, its service record, a session's recording and a saved log view. */
function parseUnitRoute(parts: string[]): Route {
  try {
    const [, name = '', second, third] = parts.map(decodeURIComponent);
    if (second === 'record') {
      return { page: 'serviceRecord', name };
    }
    if (second === 'session' && third) {
      return { page: 'session', name, sessionId: third };
    }
    if (second === 'logview' && third) {
      return { page: 'logView', name, viewId: third };
    }
    const tab = (UNIT_TABS as readonly string[]).includes(second ?? '') ? (second as UnitTab) : undefined;
    if (tab === undefined) {
      return { page: 'unit', name };
    }
    if (tab === 'logs' && third) {
      return { page: 'unit', name, tab, at: third };
    }
    if (tab === 'files' && third) {
      return { page: 'unit', name, tab, path: third };
    }
    return { page: 'unit', name, tab };
  } catch {
    // A hand-edited, badly encoded address: fall back to the fleet rather than crash.
    return { page: 'fleet' };
  }
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'fleet':
      return '/';
    case 'add':
      return '/add';
    case 'unit': {
      const base = `/unit/${encodeURIComponent(route.name)}`;
      if (route.tab === undefined || route.tab === 'health') {
        return base;
      }
      const detail = route.tab === 'logs' ? route.at : route.tab === 'files' ? route.path : undefined;
      return `${base}/${route.tab}${detail === undefined ? '' : `/${encodeURIComponent(detail)}`}`;
    }
    case 'session':
      return `/unit/${encodeURIComponent(route.name)}/session/${encodeURIComponent(route.sessionId)}`;
    case 'logView':
      return `/unit/${encodeURIComponent(route.name)}/logview/${encodeURIComponent(route.viewId)}`;
    case 'settings':
      return '/settings';
    case 'bus':
      return '/bus';
    case 'procedures':
      return '/procedures';
    case 'procedure':
      return `/procedures/${encodeURIComponent(route.id)}`;
    case 'recover':
      return `/recover/${encodeURIComponent(route.unit)}/${encodeURIComponent(route.checkId)}${
        route.procedure === undefined ? '' : `/${encodeURIComponent(route.procedure)}`
      }`;
    case 'run':
      return `/run/${encodeURIComponent(route.runId)}`;
    case 'report':
      return `/run/${encodeURIComponent(route.runId)}/report`;
    case 'backups':
      return '/backups';
    case 'unitBackups':
      return `/backups/${encodeURIComponent(route.name)}`;
    case 'restore':
      return `/backups/${encodeURIComponent(route.name)}/restore${
        route.backupId === null ? '' : `/${encodeURIComponent(route.backupId)}`
      }`;
    case 'logbook':
      return '/logbook';
    case 'serviceRecord':
      return `/unit/${encodeURIComponent(route.name)}/record`;
    case 'siteReport':
      return '/reports/site';
  }
}

/** The fleet's backups, one unit's, and the restore wizard (optionally with the backup chosen); null otherwise. */
function parseBackupRoute(parts: string[]): Route | null {
  if (parts[0] !== 'backups') {
    return null;
  }
  try {
    const [, name, third, backupId] = parts.map(decodeURIComponent);
    if (!name) {
      return { page: 'backups' };
    }
    if (third === 'restore') {
      return { page: 'restore', name, backupId: backupId ?? null };
    }
    return { page: 'unitBackups', name };
  } catch {
    return { page: 'backups' };
  }
}

/** The procedure library, guided recovery, a run and its printable report; null for any other address. */
function parseProcedureRoute(parts: string[]): Route | null {
  try {
    const [first, second, third, fourth] = parts.map(decodeURIComponent);
    if (first === 'procedures') {
      return second ? { page: 'procedure', id: second } : { page: 'procedures' };
    }
    if (first === 'recover' && second && third) {
      return { page: 'recover', unit: second, checkId: third, ...(fourth ? { procedure: fourth } : {}) };
    }
    if (first === 'run' && second) {
      return fourth === undefined && third === 'report'
        ? { page: 'report', runId: second }
        : { page: 'run', runId: second };
    }
  } catch {
    // A hand-edited, badly encoded address: the caller falls back to the fleet.
    return { page: 'fleet' };
  }
  return null;
}

export function routeHref(route: Route): string {
  return `#${routePath(route)}`;
}
