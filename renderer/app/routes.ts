export type Route =
  { page: 'fleet' } | { page: 'add' } | { page: 'unit'; name: string } | { page: 'settings' } | { page: 'bus' };

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
  }
}

export function routeHref(route: Route): string {
  return `#${routePath(route)}`;
}
