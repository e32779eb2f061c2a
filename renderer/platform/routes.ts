import { BugError } from '../../shared/errors/AppError';

/**
 * Every page's address, by page name. Each feature adds its own pages here from its `pages.tsx` (TypeScript's
 * declaration merging), so a link from one feature to another's page is typed without importing that feature.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by each feature's pages file
export interface Routes {}

export type PageName = keyof Routes;
export type Route = Routes[PageName];

/** How addresses and routes map onto each other: built by the shell from its page list. */
export type RouteTable = {
  parse(path: string): Route;
  path(route: Route): string;
};

let installed: RouteTable | null = null;

/**
 * The shell installs its table once, before the first render. Links are built in plain functions and event
 * handlers all over the features, so the table is a module value rather than a context each of them must reach.
 */
export function installRouteTable(table: RouteTable): void {
  installed = table;
}

function table(): RouteTable {
  if (!installed) {
    throw new BugError('a route was used before the shell installed its page list');
  }
  return installed;
}

export function parseRoute(path: string): Route {
  return table().parse(path);
}

export function routePath(route: Route): string {
  return table().path(route);
}

export function routeHref(route: Route): string {
  return `#${routePath(route)}`;
}
