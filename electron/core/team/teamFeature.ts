import { AppError } from '../../../shared/errors/AppError';
import type { CallOutput } from '../../../shared/ipc/contract';
import type { TEAM_CALL_NAMES } from '../../../shared/ipc/names/team';
import type { CoreFeature, FeatureDeps } from '../feature';
import type { BackupManifestSource } from './local/backupManifests';
import { hostKeyConflicts } from './local/conflicts';
import { SyncService } from './SyncService';
import { verifyTeamAudit } from './teamAuditVerify';
import { localTeamFleet, serverTeamFleet } from './teamFleet';

export type TeamCallName = (typeof TEAM_CALL_NAMES)[number];

/** The team sync's slice of the contract: joining a team server, syncing with it, and what the team shares. */
export function createTeamFeature(deps: FeatureDeps): CoreFeature<TeamCallName> & { sync: SyncService } {
  // The sync reads the backup manifests through the backup feature's own list call.
  const listBackups = deps.calls.handler('backup.list');
  const backups: BackupManifestSource = {
    list: () => listBackups({ kind: 'all' }, { face: deps.face, actor: deps.actor() }),
  };
  const sync = new SyncService({
    db: deps.db,
    history: deps.history,
    clock: deps.clock,
    logger: deps.logger.child({ subsystem: 'team' }),
    events: deps.events,
    env: deps.env,
    backups,
    actor: deps.actor,
    technician: () => deps.settings.getTechnician(),
    keychain: deps.teamKeychain,
    ...(deps.teamBatchSize === undefined ? {} : { batchSize: deps.teamBatchSize }),
  });
  const withServer = async <T>(work: (server: Awaited<ReturnType<SyncService['openServer']>>) => Promise<T>) => {
    const server = await sync.openServer();
    try {
      return await work(server);
    } finally {
      await server.close();
    }
  };
  return {
    sync,
    handlers: {
      'team.join': async (input) => sync.join(input),
      'team.leave': async () => sync.leave(),
      'team.status': async () => sync.status(),
      'team.sync': async (input) => {
        const running = sync.sync();
        if (!input.wait) {
          // The outcome comes as a team.status event; the caller's request ends here.
          void running;
          return { started: true, result: null };
        }
        return { started: true, result: await running };
      },
      'team.conflicts': async (input) => hostKeyConflicts(deps.db, input.unit),
      'team.fleet': async (input) =>
        input.source === 'server'
          ? withServer((server) => serverTeamFleet(server, deps.history.deviceId()))
          : localTeamFleet(deps.db),
      'team.record': async (input) => pulledRecord(deps.db, input.entity, input.id),
      'team.verifyAudit': async () => withServer((server) => verifyTeamAudit(server, deps.db, deps.history)),
    },
    async close() {
      if (sync.isSyncing()) {
        await sync.sync();
      }
    },
  };
}

type PulledRow = {
  device_id: string;
  label: string | null;
  unit: string | null;
  at: string;
  actor: string | null;
  body_json: string;
};

/** One record pulled from the team, with the device that wrote it named by its label when it has one. */
function pulledRecord(
  db: FeatureDeps['db'],
  entity: CallOutput<'team.record'>['entity'],
  id: string,
): CallOutput<'team.record'> {
  const row = db
    .prepare<[string, string], PulledRow>(
      `SELECT r.device_id, d.label, r.unit, r.at, r.actor, r.body_json FROM team_records r
       LEFT JOIN team_devices d ON d.device_id = r.device_id WHERE r.entity = ? AND r.id = ?`,
    )
    .get(entity, id);
  if (!row) {
    throw new AppError('NOT_FOUND', `no ${entity} ${id} was pulled from the team`);
  }
  return {
    entity,
    id,
    device: row.label ?? row.device_id,
    unit: row.unit,
    at: row.at,
    actor: row.actor,
    body: JSON.parse(row.body_json) as Record<string, unknown>,
  };
}
