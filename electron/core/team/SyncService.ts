import { hostname } from 'node:os';

import type BetterSqlite3 from 'better-sqlite3';

import type { SyncResult, TeamStatus } from '../../../shared/domain/team';
import { AppError, isAppError } from '../../../shared/errors/AppError';
import type { EventHub } from '../ports/EventHub';
import { BackupLocations } from '../backup/replica/backupLocations';
import type { KeychainPort } from '../ports/KeyProvider';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { BackupManifestSource } from './local/backupManifests';
import { hostKeyConflicts } from './local/conflicts';
import { LocalDocs } from './local/localDocs';
import { SyncState, type TeamConfig } from './local/syncState';
import { TeamReplica } from './local/TeamReplica';
import { connectServer } from './server/serverConnection';
import { TeamServer } from './server/TeamServer';
import { pullAll } from './syncPull';
import { NO_COUNTS, pushAll } from './syncPush';
import { formatTeamUrl, parseTeamUrl } from './teamUrl';

export const DEFAULT_PASSWORD_ENV = 'OHTW_TEAM_PASSWORD';
const DEFAULT_BATCH = 100;

export type SyncServiceDeps = {
  db: BetterSqlite3.Database;
  history: HistoryRepository;
  clock: Clock;
  logger: Logger;
  events: EventHub;
  env: Record<string, string | undefined>;
  backups: BackupManifestSource;
  /** The technician's name as recorded, for the device's label and the rows the sync itself records. */
  actor: () => string;
  technician: () => string | null;
  /** Where the desktop app keeps the team password (a real OS keychain); absent elsewhere. */
  keychain?: KeychainPort | undefined;
  /** Rows per push or pull batch (tests make it small to cut a sync in the middle). */
  batchSize?: number;
};

export type JoinInput = {
  url: string;
  deviceLabel?: string | undefined;
  passwordEnv?: string | undefined;
  password?: string | undefined;
  caFile?: string | undefined;
};

/**
 * The laptop's side of the team: joining a server, and syncing with it (push then pull). The laptop's history stays
 * the source of truth: a sync that cannot reach the server changes nothing here, and one cut in the middle keeps
 * what was committed on either side and carries on from there the next time. One sync runs at a time; a second
 * request joins the running one.
 */
export class SyncService {
  private readonly state: SyncState;
  private readonly docs: LocalDocs;
  private readonly replica: TeamReplica;
  private readonly locations: BackupLocations;
  private running: Promise<SyncResult> | null = null;

  constructor(private readonly deps: SyncServiceDeps) {
    this.state = new SyncState(deps.db);
    const now = () => deps.clock.nowIso();
    this.docs = new LocalDocs(deps.db, deps.history, now);
    this.locations = new BackupLocations(deps.db, deps.clock);
    this.replica = new TeamReplica(deps.db, deps.history, this.state, now, this.locations);
  }

  async join(input: JoinInput): Promise<TeamStatus> {
    const url = parseTeamUrl(input.url);
    const passwordEnv = input.passwordEnv ?? DEFAULT_PASSWORD_ENV;
    if (input.password !== undefined) {
      if (!this.deps.keychain) {
        throw new AppError(
          'PRECONDITION_FAILED',
          `this face has no OS keychain to keep the team password in: set it in an environment variable (${passwordEnv})`,
        );
      }
      await this.deps.keychain.save(input.password);
    }
    const config: TeamConfig = {
      url: formatTeamUrl(url),
      passwordEnv,
      caFile: input.caFile ?? null,
      deviceLabel: input.deviceLabel ?? hostname(),
      joinedAt: this.deps.clock.nowIso(),
      serverId: '',
    };
    const server = await this.open(config);
    try {
      config.serverId = await server.serverId();
      await server.registerDevice(this.device(config));
    } finally {
      await server.close();
    }
    const previous = this.state.config();
    this.deps.db
      .transaction(() => {
        if (previous === null || previous.serverId !== config.serverId) {
          // Another server has none of this laptop's history: all of it is pushed there once, and pulled afresh.
          this.requeueEverything();
          this.state.resetCursors();
        }
        this.state.setConfig(config);
        this.deps.history.appendAudit({
          actor: this.deps.actor(),
          unit: null,
          action: 'team.join',
          outcome: 'ok',
          details: { url: config.url, device: config.deviceLabel, deviceId: this.deps.history.deviceId() },
        });
      })
      .immediate();
    this.deps.history.syncAuditHead();
    return this.status();
  }

  async leave(): Promise<TeamStatus> {
    const config = this.state.config();
    if (config !== null) {
      this.deps.db
        .transaction(() => {
          this.state.setConfig(null);
          this.deps.history.appendAudit({
            actor: this.deps.actor(),
            unit: null,
            action: 'team.leave',
            outcome: 'ok',
            details: { url: config.url },
          });
        })
        .immediate();
      this.deps.history.syncAuditHead();
    }
    return this.status();
  }

  status(): TeamStatus {
    const config = this.state.config();
    const pending = Number(
      this.deps.db
        .prepare(
          'SELECT (SELECT count(*) FROM sync_outbox) + (SELECT count(*) FROM backup_locations WHERE pushed_at IS NULL)',
        )
        .pluck()
        .get(),
    );
    const devices = this.deps.db
      .prepare<[], { device_id: string; label: string; technician: string | null }>(
        'SELECT device_id, label, technician FROM team_devices ORDER BY label',
      )
      .all()
      .map((d) => ({ deviceId: d.device_id, label: d.label, technician: d.technician }));
    return {
      joined: config !== null,
      url: config?.url ?? null,
      deviceId: this.deps.history.deviceId(),
      deviceLabel: config?.deviceLabel ?? null,
      joinedAt: config?.joinedAt ?? null,
      passwordFrom: config === null ? null : this.passwordSource(config),
      pending,
      syncing: this.running !== null,
      lastSync: this.state.lastSync(),
      devices,
      conflicts: hostKeyConflicts(this.deps.db),
    };
  }

  /** Push then pull. A sync already running is joined. The promise never rejects: a failure is in the result. */
  sync(): Promise<SyncResult> {
    if (this.running) {
      return this.running;
    }
    const started = this.deps.clock.now();
    this.running = this.syncOnce(started).finally(() => {
      this.running = null;
      this.deps.events.emit('team.status', this.status());
    });
    this.deps.events.emit('team.status', this.status());
    return this.running;
  }

  isSyncing(): boolean {
    return this.running !== null;
  }

  /** Opens the joined server for a caller that reads it (audit verify --team, the team's fleet summary). */
  async openServer(): Promise<TeamServer> {
    return this.open(this.state.requireConfig());
  }

  private async syncOnce(started: number): Promise<SyncResult> {
    const config = this.state.requireConfig();
    const result: SyncResult = {
      ok: false,
      error: null,
      pushed: { ...NO_COUNTS },
      pulled: { ...NO_COUNTS },
      refused: [],
      conflicts: [],
      settingsApplied: 0,
      durationMs: 0,
    };
    let server: TeamServer | null = null;
    try {
      server = await this.open(config);
      if ((await server.serverId()) !== config.serverId) {
        throw new AppError(
          'CONFLICT',
          `the server at ${config.url} is not the team server this laptop joined (its id changed): join it again to push everything there`,
        );
      }
      const deviceId = this.deps.history.deviceId();
      const batchSize = this.deps.batchSize ?? DEFAULT_BATCH;
      await server.registerDevice(this.device(config));
      const pushed = await pushAll({
        db: this.deps.db,
        docs: this.docs,
        server,
        deviceId,
        backups: this.deps.backups,
        locations: this.locations,
        chain: () => this.chain(),
        batchSize,
      });
      result.pushed = pushed.counts;
      result.refused = pushed.refused;
      const pulled = await pullAll({
        db: this.deps.db,
        server,
        replica: this.replica,
        deviceId,
        cursors: () => this.state.cursors(),
        batchSize,
        actor: this.deps.actor(),
      });
      result.pulled = pulled.counts;
      result.settingsApplied = pulled.settingsApplied;
      result.ok = true;
    } catch (error) {
      result.error = isAppError(error) ? error.message : `the sync stopped: ${(error as Error).message}`;
      this.deps.logger.warn('team sync stopped', { error: result.error });
    } finally {
      await server?.close();
    }
    this.replica.recordConflicts(this.deps.actor());
    result.conflicts = hostKeyConflicts(this.deps.db);
    result.durationMs = Math.max(0, Math.round(this.deps.clock.now() - started));
    const sum = (counts: typeof result.pushed) => Object.values(counts).reduce((a, b) => a + b, 0);
    this.state.setLastSync({
      at: this.deps.clock.nowIso(),
      ok: result.ok,
      pushed: sum(result.pushed),
      pulled: sum(result.pulled),
      error: result.error,
    });
    return result;
  }

  private async open(config: TeamConfig): Promise<TeamServer> {
    const url = parseTeamUrl(config.url);
    const client = await connectServer({ url, password: await this.password(config), caFile: config.caFile });
    const server = new TeamServer(client, config.url);
    try {
      await server.migrate(() => this.deps.clock.nowIso());
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  private async password(config: TeamConfig): Promise<string> {
    const fromEnv = this.deps.env[config.passwordEnv];
    if (fromEnv) {
      return fromEnv;
    }
    const fromKeychain = (await this.deps.keychain?.load()) ?? null;
    if (fromKeychain) {
      return fromKeychain;
    }
    throw new AppError(
      'SECRET_MISSING',
      `no password for the team server ${config.url}: set ${config.passwordEnv}${this.deps.keychain ? ' or save it in the OS keychain (Settings)' : ''}`,
    );
  }

  private passwordSource(config: TeamConfig): string {
    return this.deps.env[config.passwordEnv] || !this.deps.keychain ? `$${config.passwordEnv}` : 'the OS keychain';
  }

  private device(config: TeamConfig) {
    return {
      deviceId: this.deps.history.deviceId(),
      chainId: this.chain().chainId,
      label: config.deviceLabel,
      technician: this.deps.technician(),
    };
  }

  private chain(): { chainId: string; keyId: string | null } {
    const row = this.deps.db
      .prepare<[], { chain_id: string; key_id: string | null }>('SELECT chain_id, key_id FROM audit_chain WHERE id = 1')
      .get();
    return { chainId: row?.chain_id ?? '', keyId: row?.key_id ?? null };
  }

  private requeueEverything(): void {
    this.deps.db.exec(`
      INSERT OR IGNORE INTO sync_outbox (entity, key) SELECT 'unit', name FROM units ORDER BY created_at, name;
      INSERT OR IGNORE INTO sync_outbox (entity, key)
        SELECT 'diagnosis', id FROM diagnostic_runs WHERE device_id IS NULL ORDER BY started_at, rowid;
      INSERT OR IGNORE INTO sync_outbox (entity, key) SELECT 'run', id FROM procedure_runs ORDER BY started_at, id;
      INSERT OR IGNORE INTO sync_outbox (entity, key)
        SELECT 'restore', id FROM restore_transactions ORDER BY started_at, id;
      INSERT OR IGNORE INTO sync_outbox (entity, key)
        SELECT 'setting', key FROM settings WHERE key IN ('thresholds', 'escalation.matrix');
      DELETE FROM sync_pushed_backups;
    `);
  }
}
