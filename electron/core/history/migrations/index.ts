import { migration0001 } from './0001_initial';
import { migration0002 } from './0002_settings';
import { migration0003 } from './0003_telemetry';
import { migration0004 } from './0004_rs485_params';
import { migration0005 } from './0005_restore_transactions';
import { migration0006 } from './0006_procedure_runs';
import { migration0007 } from './0007_audit_key_and_origins';
import { migration0009 } from './0009_logbook';
import { migration0010 } from './0010_unit_console';
import { migration0011 } from './0011_team_sync';
import { migration0012 } from './0012_findings';
import { migration0013 } from './0013_backup_locations';
import type { Migration } from './migration';

/** Every migration this build knows, oldest first. Append new ones (telemetry, backups, procedures…); never edit. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  // 0008 is reserved for a change made alongside these.
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
];
