import { describe, expect, it } from 'vitest';

import { FEATURE_PAGES, ROUTE_TABLE } from '../../../renderer/app/pages';
import type { Route } from '../../../renderer/platform/routes';

/**
 * A route as the test writes it. Each feature declares its pages' routes in its own pages file, and the test project
 * sees the renderer through its compiled types, where those declarations do not reach the shared `Routes`; so the
 * examples are plain objects, handed over as routes.
 */
type Example = { page: string } & Record<string, unknown>;
const asRoute = (example: Example): Route => example as unknown as Route;

/** One route of every page, with the awkward characters a unit name or an id may hold. */
const EXAMPLES: readonly [Example, string][] = [
  [{ page: 'fleet' }, '/'],
  [{ page: 'add' }, '/add'],
  [{ page: 'unit', name: 'oht 07' }, '/unit/oht%2007'],
  [{ page: 'unit', name: 'oht-07', tab: 'telemetry' }, '/unit/oht-07/telemetry'],
  [
    { page: 'unit', name: 'oht-07', tab: 'logs', at: '2026-01-02T03:04:05Z' },
    '/unit/oht-07/logs/2026-01-02T03%3A04%3A05Z',
  ],
  [{ page: 'unit', name: 'oht-07', tab: 'files', path: '/opt/oht50/a b' }, '/unit/oht-07/files/%2Fopt%2Foht50%2Fa%20b'],
  [{ page: 'session', name: 'oht-07', sessionId: 's/1' }, '/unit/oht-07/session/s%2F1'],
  [{ page: 'logView', name: 'oht-07', viewId: 'v1' }, '/unit/oht-07/logview/v1'],
  [{ page: 'serviceRecord', name: 'oht-07' }, '/unit/oht-07/record'],
  [{ page: 'settings' }, '/settings'],
  [{ page: 'bus' }, '/bus'],
  [{ page: 'procedures' }, '/procedures'],
  [{ page: 'procedure', id: 'estop-reset' }, '/procedures/estop-reset'],
  [{ page: 'recover', unit: 'oht-07', checkId: 'services.firmware' }, '/recover/oht-07/services.firmware'],
  [
    { page: 'recover', unit: 'oht-07', checkId: 'services.firmware', procedure: 'restart' },
    '/recover/oht-07/services.firmware/restart',
  ],
  [{ page: 'run', runId: 'r1' }, '/run/r1'],
  [{ page: 'report', runId: 'r1' }, '/run/r1/report'],
  [{ page: 'backups' }, '/backups'],
  [{ page: 'unitBackups', name: 'oht-07' }, '/backups/oht-07'],
  [{ page: 'restore', name: 'oht-07', backupId: null }, '/backups/oht-07/restore'],
  [{ page: 'restore', name: 'oht-07', backupId: 'b 1' }, '/backups/oht-07/restore/b%201'],
  [{ page: 'logbook' }, '/logbook'],
  [{ page: 'siteReport' }, '/reports/site'],
];

describe('the page list’s addresses', () => {
  it('writes every page’s address and reads it back to the same route', () => {
    for (const [route, path] of EXAMPLES) {
      expect(ROUTE_TABLE.path(asRoute(route)), route.page).toBe(path);
      expect(ROUTE_TABLE.parse(path), path).toEqual(route);
    }
  });

  it('has an example for every page it registers, and no page twice', () => {
    const pages = FEATURE_PAGES.flatMap((feature) => feature.pages.map((entry): string => entry.page));
    expect(new Set(pages).size).toBe(pages.length);
    expect([...new Set(EXAMPLES.map(([route]) => route.page))].sort()).toEqual([...pages].sort());
  });

  it('reads the unit page’s health tab and an unknown tab as the unit page itself', () => {
    expect(ROUTE_TABLE.path(asRoute({ page: 'unit', name: 'oht-07', tab: 'health' }))).toBe('/unit/oht-07');
    expect(ROUTE_TABLE.parse('/unit/oht-07/nonsense')).toEqual({ page: 'unit', name: 'oht-07' });
    expect(ROUTE_TABLE.parse('/unit/oht-07/session')).toEqual({ page: 'unit', name: 'oht-07' });
    expect(ROUTE_TABLE.parse('/run/r1/report/extra')).toEqual({ page: 'run', runId: 'r1' });
  });

  it('leads an address no page reads, or a badly encoded one, to the fleet', () => {
    expect(ROUTE_TABLE.parse('/nowhere/at/all')).toEqual({ page: 'fleet' });
    expect(ROUTE_TABLE.parse('/recover/oht-07')).toEqual({ page: 'fleet' });
    expect(ROUTE_TABLE.parse('/unit/%E0%A4%A')).toEqual({ page: 'fleet' });
    expect(ROUTE_TABLE.parse('')).toEqual({ page: 'fleet' });
  });

  it('gives each header link a page of its own feature, in the fleet-first order', () => {
    const links = FEATURE_PAGES.flatMap((feature) => (feature.nav ? [feature.nav] : []));
    expect(links.map((nav) => nav.testId)).toEqual([
      'nav-fleet',
      'nav-procedures',
      'nav-backups',
      'nav-logbook',
      'nav-bus',
      'nav-settings',
    ]);
    for (const feature of FEATURE_PAGES) {
      const own = feature.pages.map((entry): string => entry.page);
      if (feature.nav) {
        const to = feature.nav.to as Example;
        for (const page of [to.page, ...feature.nav.current]) {
          expect(own).toContain(page);
        }
      }
    }
  });
});
