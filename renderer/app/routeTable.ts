import { BugError } from '../../shared/errors/AppError';
import type { FeaturePages, PageEntry } from '../platform/pages';
import type { Route, RouteTable } from '../platform/routes';

/** Where an address no page reads, or one too badly encoded to read, leads. */
const HOME: Route = { page: 'fleet' };

function decodedParts(path: string): string[] | null {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    // A hand-edited, badly encoded address: the caller falls back home rather than crash.
    return null;
  }
}

/** Reads and writes addresses with the features' page entries: the first entry that accepts an address wins. */
export function buildRouteTable(features: readonly FeaturePages[]): RouteTable & { entryOf(route: Route): PageEntry } {
  const entries = features.flatMap((feature) => feature.pages);
  const byPage = new Map(entries.map((entry) => [entry.page, entry]));
  const entryOf = (route: Route): PageEntry => {
    const entry = byPage.get(route.page);
    if (!entry) {
      throw new BugError(`no page entry for '${route.page}'`);
    }
    return entry;
  };
  return {
    parse: (path) => {
      const parts = decodedParts(path);
      if (parts === null) {
        return HOME;
      }
      for (const entry of entries) {
        const route = entry.parse(parts);
        if (route) {
          return route;
        }
      }
      return HOME;
    },
    path: (route) => entryOf(route).path(route),
    entryOf,
  };
}
