import { addUnitPages } from '../features/addUnit';
import { backupPages } from '../features/backups';
import { busPages } from '../features/bus';
import { fleetPages } from '../features/fleet';
import { logbookPages } from '../features/logbook';
import { logsPages } from '../features/logs';
import { procedurePages } from '../features/procedures';
import { settingsPages } from '../features/settings';
import { terminalPages } from '../features/terminal';
import { unitPages } from '../features/unit';
import type { FeaturePages } from '../platform/pages';
import { buildRouteTable } from './routeTable';

/**
 * Every feature's pages, one line each. The header's links follow this order; an address is read by the first page
 * that accepts it, so the unit page, which takes any `/unit/NAME/…`, comes after the other pages under a unit.
 */
export const FEATURE_PAGES: readonly FeaturePages[] = [
  fleetPages,
  procedurePages,
  backupPages,
  logbookPages,
  busPages,
  settingsPages,
  addUnitPages,
  terminalPages,
  logsPages,
  unitPages,
];

/** The addresses of every page in the list; main installs it before the first render. */
export const ROUTE_TABLE = buildRouteTable(FEATURE_PAGES);
