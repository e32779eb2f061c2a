import type { DiagnosisReport } from '../../../shared/domain/health';
import type { AuditRow } from '../history/auditRecord';

/*
 * What travels between a laptop and the team server, one shape per kind of row. Every row pushed names the device
 * it was recorded on; the server never changes a row's device, and a row pulled is stored under its device.
 */

/** One device's view of a unit: where it is and which host key it pinned (removed: the device forgot the unit). */
export type UnitDoc = {
  name: string;
  host: string | null;
  port: number | null;
  user: string | null;
  keyAlgorithm: string | null;
  keyFingerprint: string | null;
  keyPinnedAt: string | null;
  removed: boolean;
  updatedAt: string;
};

export type DiagnosisDoc = {
  id: string;
  unit: string;
  level: DiagnosisReport['level'];
  startedAt: string;
  durationMs: number;
  recordedBy: string | null;
  report: DiagnosisReport;
};

export type RecordEntity = 'run' | 'restore' | 'backup';

/** A procedure run (with its signature and evidence list), a restore transaction or a backup manifest, whole. */
export type RecordDoc = {
  entity: RecordEntity;
  id: string;
  unit: string | null;
  at: string;
  actor: string | null;
  digest: string;
  body: Record<string, unknown>;
};

export type EvidenceDoc = { sha256: string; size: number; content: Buffer };

export type SettingEditDoc = { key: string; at: string; by: string; value: unknown };

/** An audit row exactly as its device hashed it (the history's own row shape). */
export type AuditRowDoc = AuditRow;

export type DeviceDoc = { deviceId: string; chainId: string | null; label: string; technician: string | null };

/** A row pulled from the server: the device it belongs to, and its place in the server's feed. */
export type Pulled<T> = T & { deviceId: string; feedSeq: number };

/** The team settings: shared by every laptop of the team (the technician's name stays each laptop's own). */
export const TEAM_SETTING_KEYS = ['thresholds', 'escalation.matrix'] as const;
