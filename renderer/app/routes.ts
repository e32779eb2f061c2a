export type Route =
  | { page: 'fleet' }
  | { page: 'add' }
  | { page: 'unit'; name: string }
  | { page: 'settings' }
  | { page: 'bus' }
  | { page: 'backups' }
  | { page: 'unitBackups'; name: string }
  | { page: 'restore'; name: string; backupId: string | null };

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
  const backupRoute = parseBackupRoute(parts);
  if (backupRoute) {
    return backupRoute;
  }
  if (parts[0] === 'unit' && parts[1]) {
    try {
      return { page: 'unit', name: decodeURIComponent(parts[1]) };
    } catch {
      // A hand-edited, badly encoded address: fall back to the fleet rather than crash.
      return { page: 'fleet' };
    }
  }
  return { page: 'fleet' };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'fleet':
      return '/';
    case 'add':
      return '/add';
    case 'unit':
      return `/unit/${encodeURIComponent(route.name)}`;
    case 'settings':
      return '/settings';
    case 'bus':
      return '/bus';
    case 'backups':
      return '/backups';
    case 'unitBackups':
      return `/backups/${encodeURIComponent(route.name)}`;
    case 'restore':
      return `/backups/${encodeURIComponent(route.name)}/restore${
        route.backupId === null ? '' : `/${encodeURIComponent(route.backupId)}`
      }`;
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

export function routeHref(route: Route): string {
  return `#${routePath(route)}`;
}
