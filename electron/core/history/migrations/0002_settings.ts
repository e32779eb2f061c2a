import type { Migration } from './migration';

/** The technician's settings as JSON values by key (alert thresholds, escalation contacts later). */
export const migration0002: Migration = {
  version: 2,
  name: 'settings',
  sql: `
CREATE TABLE settings (
  key TEXT PRIMARY KEY NOT NULL,
  value_json TEXT NOT NULL CHECK (json_valid(value_json)),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;
`,
};
