import type { Migration } from './migration';

/*
 * The fleet's logbook: one row per thing that happened to the fleet, whichever table holds its detail, so that the
 * whole fleet's history is one index range away whatever the filter (unit, kind, technician, outcome, level, time)
 * and one full-text index answers a word in a message, an evidence or a note.
 *
 * - A finding is a check (a leaf of the tree) that a diagnosis found worse than the unit's previous diagnosis did
 *   (OK or unknown → WARN or ERROR, WARN → ERROR): an E-Stop pressed, a firmware crash. It is its own entry, so
 *   "which units had an E-Stop this month" and "crashes per unit per month" read a few rows, not every check.
 * - Audit-log rows, step attempts of procedures (not the actions: the audit log has those with their gates) and their
 *   notes and attachments enter by triggers, so every writer that exists, and any that a later feature adds to the
 *   audit log, is in the logbook without knowing of it. Diagnoses are entered by the repository that saves them,
 *   because their searchable text (the findings, with their evidence) is built from the report it holds.
 * - `code` is the source's own code (the audit action, 'diagnosis', 'procedure.step', 'procedure.note'); which kind a
 *   code belongs to is data in shared/domain/logbookKinds.ts, so a new kind needs no migration.
 * - Times are milliseconds since 1970 (the cursor is (at_ms, id), newest first); every index ends in (at_ms, id) so
 *   that a filtered page is one ordered range scan that stops at the page size, never an OFFSET.
 * - The full-text index is contentless: the text lives where it came from (the audit row, the note's blob), only the
 *   index is stored here.
 * - A diagnosis check's evidence over 256 characters is stored once in evidence_blobs by its SHA-256 and referred to
 *   by evidence_sha256; the report JSON of a new run keeps only the tree's shape (the check rows have the messages
 *   and the evidence). Older rows keep what they were written with and read back as before.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'logbook',
  sql: `
ALTER TABLE check_results ADD COLUMN evidence_sha256 TEXT
  CHECK (evidence_sha256 IS NULL OR length(evidence_sha256) = 64);

CREATE TABLE logbook (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  unit TEXT,
  code TEXT NOT NULL,
  outcome TEXT,
  level TEXT CHECK (level IS NULL OR level IN ('OK', 'WARN', 'ERROR', 'STALE')),
  actor TEXT,
  ref TEXT,
  -- For a finding: the check it is about (services.firmware, safety.estop…).
  subject TEXT,
  source TEXT NOT NULL CHECK (source IN ('diagnosis', 'finding', 'audit', 'step', 'evidence')),
  source_key TEXT NOT NULL,
  UNIQUE (source, source_key)
) STRICT;
CREATE INDEX logbook_by_time ON logbook (at_ms, id);
CREATE INDEX logbook_by_unit ON logbook (unit, at_ms, id);
-- unit and level ride along so that the site report's health over a year reads this index alone.
CREATE INDEX logbook_by_code ON logbook (code, at_ms, id, unit, level);
CREATE INDEX logbook_by_actor ON logbook (actor, at_ms, id);
CREATE INDEX logbook_by_outcome ON logbook (outcome, at_ms, id);
CREATE INDEX logbook_by_level ON logbook (level, at_ms, id);
-- Incidents (a finding about one check, fleet-wide, over a period) for the site report and the service record.
CREATE INDEX logbook_by_subject ON logbook (subject, at_ms, id) WHERE subject IS NOT NULL;

CREATE VIRTUAL TABLE logbook_fts USING fts5(
  body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER logbook_from_audit AFTER INSERT ON audit_log
BEGIN
  INSERT INTO logbook (at_ms, unit, code, outcome, level, actor, ref, source, source_key)
  VALUES (
    CAST(round(unixepoch(NEW.at, 'subsec') * 1000) AS INTEGER), NEW.unit, NEW.action, NEW.outcome,
    CASE NEW.outcome WHEN 'ok' THEN 'OK' WHEN 'failed' THEN 'ERROR' END, NEW.actor,
    CAST(coalesce(json_extract(NEW.details_json, '$.runId'), json_extract(NEW.details_json, '$.backupId'),
                  json_extract(NEW.details_json, '$.transactionId')) AS TEXT),
    'audit', CAST(NEW.seq AS TEXT)
  );
  INSERT INTO logbook_fts (rowid, body)
  VALUES (last_insert_rowid(), NEW.action || ' ' || NEW.actor || ' ' || NEW.details_json);
END;

-- Actions are in the audit log (with their gates and commands) and skips too; the other attempts are entered here.
CREATE TRIGGER logbook_from_step AFTER INSERT ON procedure_step_results
WHEN json_extract(NEW.result_json, '$.plan') IS NULL AND NEW.status NOT IN ('started', 'skipped')
BEGIN
  INSERT INTO logbook (at_ms, unit, code, outcome, level, actor, ref, source, source_key)
  VALUES (
    CAST(round(unixepoch(coalesce(NEW.ended_at, NEW.started_at), 'subsec') * 1000) AS INTEGER),
    coalesce(NEW.unit, (SELECT unit FROM procedure_run_units WHERE run_id = NEW.run_id ORDER BY ordinal LIMIT 1)),
    'procedure.step', NEW.status, CAST(json_extract(NEW.result_json, '$.level') AS TEXT), NEW.actor, NEW.run_id,
    'step', NEW.run_id || ':' || NEW.seq
  );
  INSERT INTO logbook_fts (rowid, body)
  VALUES (
    last_insert_rowid(),
    NEW.step_id || ' ' || coalesce(json_extract(NEW.result_json, '$.message'), '') || ' ' ||
      coalesce(json_extract(NEW.result_json, '$.choice'), '') || ' ' ||
      coalesce((SELECT group_concat(json_extract(value, '$.id') || ' ' || coalesce(json_extract(value, '$.note'), ''), ' ')
                FROM json_each(NEW.result_json, '$.items')), '')
  );
END;

CREATE TRIGGER logbook_from_evidence AFTER INSERT ON procedure_evidence
BEGIN
  INSERT INTO logbook (at_ms, unit, code, outcome, level, actor, ref, source, source_key)
  VALUES (
    CAST(round(unixepoch(NEW.added_at, 'subsec') * 1000) AS INTEGER),
    coalesce((SELECT unit FROM procedure_step_results WHERE run_id = NEW.run_id AND seq = NEW.seq),
             (SELECT unit FROM procedure_run_units WHERE run_id = NEW.run_id ORDER BY ordinal LIMIT 1)),
    'procedure.' || NEW.kind, NULL, NULL, NEW.added_by, NEW.run_id,
    'evidence', NEW.run_id || ':' || NEW.seq || ':' || NEW.ordinal
  );
  INSERT INTO logbook_fts (rowid, body)
  VALUES (
    last_insert_rowid(),
    NEW.name || ' ' || CASE NEW.kind WHEN 'note'
      THEN coalesce((SELECT CAST(content AS TEXT) FROM evidence_blobs WHERE sha256 = NEW.sha256), '') ELSE '' END
  );
END;

-- What the history held before: every source in time order, so that ids follow time as they do for new rows
-- (a sweep's findings before the sweep, so that newest first reads the sweep and then what it found).
INSERT INTO logbook (at_ms, unit, code, outcome, level, actor, ref, source, source_key)
SELECT at_ms, unit, code, outcome, level, actor, ref, source, source_key FROM (
  SELECT CAST(round(unixepoch(started_at, 'subsec') * 1000) AS INTEGER) AS at_ms, unit, 'diagnosis' AS code,
         NULL AS outcome, level, NULL AS actor, id AS ref, 'diagnosis' AS source, id AS source_key, 1 AS part,
         rowid AS tiebreak
  FROM diagnostic_runs
  UNION ALL
  SELECT CAST(round(unixepoch(started_at, 'subsec') * 1000) AS INTEGER), unit, 'finding', NULL, level, NULL, run_id,
         'finding', run_id || ':' || ordinal, 0, run_rowid
  FROM (
    SELECT c.run_id, c.ordinal, c.unit, c.started_at, c.level, r.rowid AS run_rowid,
           lag(c.level) OVER (PARTITION BY c.unit, c.check_id ORDER BY c.started_at, r.rowid) AS previous,
           EXISTS (SELECT 1 FROM check_results k WHERE k.run_id = c.run_id AND k.parent_id = c.check_id) AS is_parent
    FROM check_results c JOIN diagnostic_runs r ON r.id = c.run_id
  )
  WHERE NOT is_parent AND (
    (level = 'ERROR' AND (previous IS NULL OR previous <> 'ERROR')) OR
    (level = 'WARN' AND (previous IS NULL OR previous IN ('OK', 'STALE')))
  )
  UNION ALL
  SELECT CAST(round(unixepoch(at, 'subsec') * 1000) AS INTEGER), unit, action, outcome,
         CASE outcome WHEN 'ok' THEN 'OK' WHEN 'failed' THEN 'ERROR' END, actor,
         CAST(coalesce(json_extract(details_json, '$.runId'), json_extract(details_json, '$.backupId'),
                       json_extract(details_json, '$.transactionId')) AS TEXT),
         'audit', CAST(seq AS TEXT), 2, seq
  FROM audit_log
  UNION ALL
  SELECT CAST(round(unixepoch(coalesce(s.ended_at, s.started_at), 'subsec') * 1000) AS INTEGER),
         coalesce(s.unit, (SELECT unit FROM procedure_run_units u WHERE u.run_id = s.run_id ORDER BY ordinal LIMIT 1)),
         'procedure.step', s.status, CAST(json_extract(s.result_json, '$.level') AS TEXT), s.actor, s.run_id,
         'step', s.run_id || ':' || s.seq, 3, s.rowid
  FROM procedure_step_results s
  WHERE json_extract(s.result_json, '$.plan') IS NULL AND s.status NOT IN ('started', 'skipped')
  UNION ALL
  SELECT CAST(round(unixepoch(e.added_at, 'subsec') * 1000) AS INTEGER),
         coalesce((SELECT unit FROM procedure_step_results s WHERE s.run_id = e.run_id AND s.seq = e.seq),
                  (SELECT unit FROM procedure_run_units u WHERE u.run_id = e.run_id ORDER BY ordinal LIMIT 1)),
         'procedure.' || e.kind, NULL, NULL, e.added_by, e.run_id,
         'evidence', e.run_id || ':' || e.seq || ':' || e.ordinal, 4, e.rowid
  FROM procedure_evidence e
)
ORDER BY at_ms, part, tiebreak;

UPDATE logbook SET subject = (
  SELECT c.check_id FROM check_results c
  WHERE c.run_id = logbook.ref AND c.ordinal = CAST(substr(logbook.source_key, length(logbook.ref) + 2) AS INTEGER)
) WHERE source = 'finding';

INSERT INTO logbook_fts (rowid, body)
SELECT l.id, c.check_id || ' ' || c.message
FROM logbook l JOIN check_results c
  ON c.run_id = l.ref AND c.ordinal = CAST(substr(l.source_key, length(l.ref) + 2) AS INTEGER)
WHERE l.source = 'finding';

INSERT INTO logbook_fts (rowid, body)
SELECT l.id, group_concat(c.check_id || ' ' || c.message || ' ' || substr(c.evidence, 1, 2000), ' ')
FROM logbook l JOIN check_results c ON c.run_id = l.source_key
WHERE l.source = 'diagnosis' AND c.level <> 'OK'
GROUP BY l.id;

INSERT INTO logbook_fts (rowid, body)
SELECT l.id, a.action || ' ' || a.actor || ' ' || a.details_json
FROM logbook l JOIN audit_log a ON l.source = 'audit' AND a.seq = CAST(l.source_key AS INTEGER);

INSERT INTO logbook_fts (rowid, body)
SELECT l.id, s.step_id || ' ' || coalesce(json_extract(s.result_json, '$.message'), '') || ' ' ||
       coalesce(json_extract(s.result_json, '$.choice'), '') || ' ' ||
       coalesce((SELECT group_concat(json_extract(value, '$.id') || ' ' || coalesce(json_extract(value, '$.note'), ''), ' ')
                 FROM json_each(s.result_json, '$.items')), '')
FROM logbook l JOIN procedure_step_results s ON l.source = 'step' AND l.source_key = s.run_id || ':' || s.seq;

INSERT INTO logbook_fts (rowid, body)
SELECT l.id, e.name || ' ' || CASE e.kind WHEN 'note'
         THEN coalesce((SELECT CAST(content AS TEXT) FROM evidence_blobs b WHERE b.sha256 = e.sha256), '') ELSE '' END
FROM logbook l JOIN procedure_evidence e
  ON l.source = 'evidence' AND l.source_key = e.run_id || ':' || e.seq || ':' || e.ordinal;
`,
};
