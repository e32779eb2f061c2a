import type BetterSqlite3 from 'better-sqlite3';

import { AppError } from '../../../../shared/errors/AppError';

/** The team server this laptop joined: its address (never a password), where the password comes from, its CA. */
export type TeamConfig = {
  url: string;
  /** The environment variable holding the password (else the OS keychain, where the face has one). */
  passwordEnv: string;
  caFile: string | null;
  /** How this laptop is named to the team ("laptop-a"; the host name unless given). */
  deviceLabel: string;
  joinedAt: string;
  /** The server's own id: joining another server pushes the whole history again. */
  serverId: string;
};

export type PullCursors = {
  devices: number;
  units: number;
  diagnoses: number;
  records: number;
  settings: number;
  audit: number;
  locations: number;
};

export const NO_CURSORS: PullCursors = {
  devices: 0,
  units: 0,
  diagnoses: 0,
  records: 0,
  settings: 0,
  audit: 0,
  locations: 0,
};

export type LastSync = {
  at: string;
  ok: boolean;
  pushed: number;
  pulled: number;
  error: string | null;
};

/** The sync's own state in the history (sync_state), read and written by key. */
export class SyncState {
  private readonly read: BetterSqlite3.Statement<[string], string>;
  private readonly write: BetterSqlite3.Statement<[string, string]>;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.read = db.prepare<[string], string>('SELECT value_json FROM sync_state WHERE key = ?').pluck();
    this.write = db.prepare<[string, string]>(
      `INSERT INTO sync_state (key, value_json) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json`,
    );
  }

  config(): TeamConfig | null {
    return this.get<TeamConfig>('server');
  }

  requireConfig(): TeamConfig {
    const config = this.config();
    if (!config) {
      throw new AppError(
        'PRECONDITION_FAILED',
        'this laptop has not joined a team server: ohtw team join postgres://user@host:port/db',
      );
    }
    return config;
  }

  setConfig(config: TeamConfig | null): void {
    if (config === null) {
      this.db.prepare("DELETE FROM sync_state WHERE key IN ('server', 'cursors')").run();
      return;
    }
    this.set('server', config);
  }

  cursors(): PullCursors {
    return { ...NO_CURSORS, ...(this.get<Partial<PullCursors>>('cursors') ?? {}) };
  }

  setCursor(feed: keyof PullCursors, value: number): void {
    this.set('cursors', { ...this.cursors(), [feed]: value });
  }

  resetCursors(): void {
    this.set('cursors', NO_CURSORS);
  }

  lastSync(): LastSync | null {
    return this.get<LastSync>('last');
  }

  setLastSync(last: LastSync): void {
    this.set('last', last);
  }

  private get<T>(key: string): T | null {
    const text = this.read.get(key);
    return text === undefined ? null : (JSON.parse(text) as T);
  }

  private set(key: string, value: unknown): void {
    this.write.run(key, JSON.stringify(value));
  }
}
