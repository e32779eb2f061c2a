import type { RemoteEntry } from '../../../shared/domain/remoteFiles';
import { AppError, isAppError, type JsonValue } from '../../../shared/errors/AppError';
import type { CallOutput } from '../../../shared/ipc/contract';
import type { GateEvaluation } from '../../../shared/ipc/contracts/procedureRuns';
import type { BackupFileAccess } from '../ports/BackupFileAccess';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import { evaluateGate } from '../procedures/gates/gates';
import type { OpenFiles } from './FilesService';
import { lineDiff } from './lineDiff';

export type EditContext = {
  history: HistoryRepository;
  clock: Clock;
  backups: BackupFileAccess;
  open: OpenFiles;
  /** The file as read just now, and its text (checked against the edit's base). */
  entry: RemoteEntry;
  current: string;
  services: string[];
  running: string[];
};

const gateFacts = (gates: GateEvaluation[]): JsonValue =>
  gates.map((g) => ({ gate: g.gate, status: g.status, reading: g.reading }));

/**
 * Writes an edited text file the way a service change is made: while a service that reads the file runs, only with
 * the vehicle stopped (read live, recorded); the old file first into the backup store as a one-file backup; then the
 * atomic write with owner and mode kept; every outcome (refused, failed, done) in the audit log.
 */
export async function applyEdit(
  ctx: EditContext,
  edit: { text: string; baseSha256: string; actor: string },
): Promise<CallOutput<'files.applyEdit'>> {
  const { open, entry } = ctx;
  const diff = lineDiff(ctx.current, edit.text);
  const audit = (outcome: 'ok' | 'failed' | 'refused', details: Record<string, JsonValue>): void => {
    ctx.history.appendAudit({
      actor: edit.actor,
      unit: open.unit.name,
      action: 'files.edit',
      outcome,
      details: {
        path: entry.path,
        services: ctx.services,
        running: ctx.running,
        added: diff.added,
        removed: diff.removed,
        ...details,
      },
    });
  };
  const gates =
    ctx.running.length > 0
      ? [await evaluateGate('vehicle.stopped', { unit: open.unit, channel: open.channel, clock: ctx.clock })]
      : [];
  const red = gates.find((gate) => gate.status === 'red');
  if (red) {
    const reason = `${ctx.running.join(', ')} ${ctx.running.length === 1 ? 'reads' : 'read'} this file and the vehicle is not stopped: ${red.reading}`;
    audit('refused', { reason, gates: gateFacts(gates) });
    throw new AppError('PRECONDITION_FAILED', `${open.unit.name}: ${entry.path} was not changed: ${reason}`, {
      details: { gates: gateFacts(gates) },
    });
  }
  const copy = await keepOldCopy(ctx, edit);
  try {
    const written = await open.files.write(entry, Buffer.from(edit.text, 'utf8'), edit.baseSha256);
    const after = (await open.files.stat(entry.path)).entry;
    if (after.uid !== entry.uid || after.gid !== entry.gid || after.mode !== entry.mode) {
      throw new AppError(
        'COMMAND_FAILED',
        `${open.unit.name}: ${entry.path} was written but its owner or mode changed (${entry.uid}:${entry.gid} ${entry.mode.toString(8)} → ${after.uid}:${after.gid} ${after.mode.toString(8)}); the old file is in backup ${copy.backupId}`,
      );
    }
    audit('ok', {
      backupId: copy.backupId,
      sha256Before: edit.baseSha256,
      sha256After: written.sha256,
      via: written.via,
      gates: gateFacts(gates),
    });
    return {
      path: entry.path,
      backupId: copy.backupId,
      sha256: written.sha256,
      entry: after,
      via: written.via,
      gates,
      hunks: diff.hunks,
    };
  } catch (error) {
    audit('failed', {
      backupId: copy.backupId,
      reason: isAppError(error) ? error.message : String(error),
      gates: gateFacts(gates),
    });
    throw error;
  }
}

/** The file as it was before the edit, kept in the backup store as a one-file backup. */
function keepOldCopy(ctx: EditContext, edit: { actor: string; baseSha256: string }) {
  const { entry } = ctx;
  return ctx.backups.keepCopy({
    unit: ctx.open.unit.name,
    entry: {
      path: entry.path,
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      owner: entry.owner,
      group: entry.group,
      mtimeMs: entry.mtimeMs,
    },
    content: Buffer.from(ctx.current, 'utf8'),
    secret: ctx.open.isSecret(entry.path),
    meta: { reason: 'before an edit in the Files tab', by: edit.actor, sha256: edit.baseSha256 },
  });
}
