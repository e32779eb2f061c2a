import type { Unit } from '../../../shared/domain/unit';
import { AppError } from '../../../shared/errors/AppError';
import type { HistoryRepository } from '../history/HistoryRepository';
import { shellQuote, type Connection } from '../transport/transport';

const SERVICE_TIMEOUT_MS = 60_000;

type Audit = Pick<HistoryRepository, 'appendAudit'>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The gated part of a 'service-stopped' database copy: the database's services are stopped (each stop in the audit
 * log); if one will not stop, those already stopped are started again and the backup does not run.
 */
export async function stopDatabaseServices(
  history: Audit,
  connection: Connection,
  unit: Unit,
  services: string[],
  actor: string,
): Promise<string[]> {
  const stopped: string[] = [];
  for (const service of [...new Set(services)]) {
    const result = await connection.exec(`systemctl stop ${shellQuote(service)}`, {
      timeoutMs: SERVICE_TIMEOUT_MS,
      sudo: true,
    });
    const ok = result.exitCode === 0;
    history.appendAudit({
      actor,
      unit: unit.name,
      action: 'backup.serviceStop',
      outcome: ok ? 'ok' : 'failed',
      details: { service, reason: 'database copied with its service stopped', exitCode: result.exitCode },
    });
    if (!ok) {
      await startDatabaseServices(history, connection, unit, stopped, actor);
      throw new AppError(
        'COMMAND_FAILED',
        `${unit.name}: ${service} did not stop (systemctl exited ${result.exitCode ?? '?'}${
          result.stderr.trim() ? `: ${result.stderr.trim().slice(0, 200)}` : ''
        }); nothing was backed up`,
      );
    }
    stopped.push(service);
  }
  return stopped;
}

/** Starts what stopDatabaseServices stopped; returns a warning per service that did not start again. */
export async function startDatabaseServices(
  history: Audit,
  connection: Connection,
  unit: Unit,
  services: string[],
  actor: string,
): Promise<string[]> {
  const warnings: string[] = [];
  for (const service of [...services].reverse()) {
    let ok = false;
    let detail: string;
    try {
      const result = await connection.exec(`systemctl start ${shellQuote(service)}`, {
        timeoutMs: SERVICE_TIMEOUT_MS,
        sudo: true,
      });
      ok = result.exitCode === 0;
      detail = `systemctl exited ${result.exitCode ?? '?'} ${result.stderr.trim().slice(0, 200)}`.trim();
    } catch (error) {
      detail = messageOf(error);
    }
    history.appendAudit({
      actor,
      unit: unit.name,
      action: 'backup.serviceStart',
      outcome: ok ? 'ok' : 'failed',
      details: { service, ...(ok ? {} : { detail }) },
    });
    if (!ok) {
      warnings.push(`${service} did not start again after the database copy (${detail}): start it by hand`);
    }
  }
  return warnings;
}
