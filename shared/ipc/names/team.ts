/** The team sync's call and event names, schema-free (the preload bundles these). Keep in step with contracts/team.ts. */
export const TEAM_CALL_NAMES = [
  'team.join',
  'team.leave',
  'team.status',
  'team.sync',
  'team.conflicts',
  'team.fleet',
  'team.record',
  'team.verifyAudit',
] as const;
export const TEAM_EVENT_NAMES = ['team.status'] as const;
