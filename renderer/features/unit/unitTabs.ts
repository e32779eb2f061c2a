/** The unit page's tabs, in the order they show. */
export const UNIT_TABS = ['health', 'telemetry', 'history', 'backups', 'runs', 'terminal', 'logs', 'files'] as const;
export type UnitTab = (typeof UNIT_TABS)[number];

export function isUnitTab(value: string | undefined): value is UnitTab {
  return (UNIT_TABS as readonly (string | undefined)[]).includes(value);
}
