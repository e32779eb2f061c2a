import { severity } from '../../../shared/domain/health';
import type { Unit } from '../../../shared/domain/unit';

/**
 * A unit never diagnosed ranks between WARN and OK: its state is unknown, which deserves a look before the units
 * known to be fine, but after every unit known to have a problem.
 */
const NEVER_DIAGNOSED_RANK = 0.5;

function rank(unit: Unit): number {
  return unit.lastLevel ? severity(unit.lastLevel) : NEVER_DIAGNOSED_RANK;
}

/** Worst first (STALE, ERROR, WARN, never diagnosed, OK), then by name, so the list is stable between refreshes. */
export function sortWorstFirst(units: readonly Unit[]): Unit[] {
  return [...units].sort((a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name));
}
