/** The units' call and event names, schema-free (the preload bundles these). Keep in step with contracts/units.ts. */
export const UNITS_CALL_NAMES = [
  'units.list',
  'units.add',
  'units.remove',
  'units.probeHostKey',
  'units.trust',
] as const;
export const UNITS_EVENT_NAMES = ['units.changed'] as const;
