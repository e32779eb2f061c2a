/** The Files tab's call names, schema-free (the preload bundles these). Keep in step with contracts/files.ts. */
export const FILES_CALL_NAMES = [
  'files.roots',
  'files.list',
  'files.read',
  'files.download',
  'files.compare',
  'files.planEdit',
  'files.applyEdit',
] as const;
export const FILES_EVENT_NAMES = [] as const;
