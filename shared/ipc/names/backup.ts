/** The backup feature's call and event names, schema-free (the preload bundles these). Keep in step with contracts/backup.ts. */
export const BACKUP_CALL_NAMES = ['restore.plan', 'restore.run'] as const;
export const BACKUP_EVENT_NAMES = ['restore.progress'] as const;
