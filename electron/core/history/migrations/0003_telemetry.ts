import type { Migration } from './migration';

/**
 * Live telemetry kept for trends. A sample is written and read whole, so it is one row with its metrics as JSON:
 * a new metric needs no migration, and a day's range is one clustered scan of (unit, at) without a row per
 * metric. Hourly rollups (min, max, sum and count per metric) are kept much longer than the raw samples and are
 * updated as samples are written, so pruning raw rows never loses the long view.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'telemetry',
  sql: `
-- unit is not a foreign key, as in diagnostic_runs: removing a unit keeps what was measured until retention ends.
CREATE TABLE telemetry_samples (
  unit TEXT NOT NULL,
  at INTEGER NOT NULL,
  metrics_json TEXT NOT NULL CHECK (json_valid(metrics_json)),
  problems_json TEXT CHECK (problems_json IS NULL OR json_valid(problems_json)),
  PRIMARY KEY (unit, at)
) STRICT, WITHOUT ROWID;

CREATE TABLE telemetry_hourly (
  unit TEXT NOT NULL,
  hour_ms INTEGER NOT NULL,
  metric TEXT NOT NULL,
  min_value REAL NOT NULL,
  max_value REAL NOT NULL,
  sum_value REAL NOT NULL,
  sample_count INTEGER NOT NULL CHECK (sample_count > 0),
  PRIMARY KEY (unit, hour_ms, metric)
) STRICT, WITHOUT ROWID;
`,
};
