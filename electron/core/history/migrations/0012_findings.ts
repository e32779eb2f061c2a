import type { Migration } from './migration';

/*
 * Findings and the bus beside the sweep.
 *
 * - A diagnosis run has a scope: 'vehicle' for a sweep over SSH, 'bus' for the bus doctor's offline diagnosis of the
 *   unit's RS485 bus (kept in the unit's history when a unit is named). A unit's health is its last vehicle run; its
 *   bus state is its last bus run. Runs saved before are told apart by their first check (rs485.offline.*).
 * - A run keeps its findings (the checks that explain the others, with what they explain and the procedure to start
 *   from) as the workstation judged them when it was saved.
 * - A check keeps its message as words (an id and parameters, shown in the reader's language) beside its English.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'findings',
  sql: `
ALTER TABLE diagnostic_runs ADD COLUMN scope TEXT NOT NULL DEFAULT 'vehicle' CHECK (scope IN ('vehicle', 'bus'));
ALTER TABLE diagnostic_runs ADD COLUMN findings_json TEXT CHECK (findings_json IS NULL OR json_valid(findings_json));
ALTER TABLE check_results ADD COLUMN say_json TEXT CHECK (say_json IS NULL OR json_valid(say_json));

UPDATE diagnostic_runs SET scope = 'bus' WHERE json_extract(report_json, '$.checks[0].id') LIKE 'rs485.offline%';

CREATE INDEX diagnostic_runs_by_unit_scope ON diagnostic_runs (unit, scope, started_at);
`,
};
