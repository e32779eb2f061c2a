/** The backup feature's call and event names, schema-free (the preload bundles these). Keep in step with contracts/backup.ts. */
export const BACKUP_CALL_NAMES = [
  'backup.run',
  'backup.retryFailed',
  'backup.list',
  'backup.get',
  'backup.verify',
  'backup.prune',
  'backup.check',
  'backup.stats',
  'backup.profile',
  'backup.setProfile',
  'backup.push',
  'backup.pull',
  'backup.checkAt',
  'backup.where',
  'backup.replicaSettings',
  'backup.setTarget',
  'backup.trustTarget',
  'restore.plan',
  'restore.run',
  'restore.toFolder',
] as const;
export const BACKUP_EVENT_NAMES = ['backup.progress', 'restore.progress'] as const;
