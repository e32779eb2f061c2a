import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';

import { AppError } from '../../../../shared/errors/AppError';
import type { Logger } from '../../ports/Logger';
import type { StoreLayout } from './layout';
import { asDiskFull, errnoCode, isEnoent } from './storeFs';

type LockBody = { pid: number; host: string; atMs: number };

const LOCK_STALE_MS = 24 * 60 * 60 * 1000;

/** Lock files this process holds, by path: another store object on the same folder in this process sees them live. */
const HELD_LOCKS = new Set<string>();

/**
 * Lock files under locks/: one per running backup ('writer-<id>') and one for a prune ('prune'). A lock is live while
 * its process runs (same host) or for a day (another host, whose processes cannot be asked); a lock of a process that
 * is gone (a crash, SIGKILL) is stale and cleared by the next prune.
 */
export class StoreLocks {
  constructor(
    private readonly layout: StoreLayout,
    private readonly logger: Logger,
  ) {}

  private path(name: string): string {
    return this.layout.p('locks', `${name}.lock`);
  }

  async acquire(name: string): Promise<boolean> {
    const body: LockBody = { pid: process.pid, host: hostname(), atMs: Date.now() };
    try {
      await this.layout.fs.writeFileDurable(this.path(name), Buffer.from(JSON.stringify(body)));
      HELD_LOCKS.add(this.path(name));
      return true;
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') {
        return false;
      }
      throw asDiskFull(error, this.layout.dir);
    }
  }

  async release(name: string): Promise<void> {
    HELD_LOCKS.delete(this.path(name));
    await rm(this.path(name), { force: true });
  }

  /** A lock is live when its process still runs (same host) or it is younger than a day (another host). */
  async isLive(name: string): Promise<boolean> {
    let body: LockBody;
    try {
      body = JSON.parse(await readFile(this.path(name), 'utf8')) as LockBody;
    } catch (error) {
      if (isEnoent(error)) {
        return false;
      }
      // Being written right now, or torn by a crash: young files count as live.
      try {
        const s = await stat(this.path(name));
        return Date.now() - s.mtimeMs < 60_000;
      } catch {
        return false;
      }
    }
    // Locks are about real processes, so real time: no backup or prune runs for a day, and a pid may be reused.
    if (body.host !== hostname() || Date.now() - body.atMs >= LOCK_STALE_MS) {
      return Date.now() - body.atMs < LOCK_STALE_MS;
    }
    if (body.pid === process.pid) {
      return HELD_LOCKS.has(this.path(name));
    }
    try {
      process.kill(body.pid, 0);
      return true;
    } catch (error) {
      return errnoCode(error) === 'EPERM';
    }
  }

  /** Names of the writer locks on disk, live or not. */
  async writerLocks(): Promise<string[]> {
    return (await readdir(this.layout.p('locks')))
      .filter((name) => name.startsWith('writer-') && name.endsWith('.lock'))
      .map((name) => name.slice(0, -'.lock'.length));
  }

  /** Writer locks whose process is gone; with `clear`, they are removed. CONFLICT when one is live. */
  async staleWriterLocks(clear: boolean): Promise<string[]> {
    const stale: string[] = [];
    for (const lock of await this.writerLocks()) {
      if (await this.isLive(lock)) {
        throw new AppError('CONFLICT', 'A backup is being written into the store; try again when it is done', {
          retryable: true,
          details: { lock },
        });
      }
      stale.push(lock);
      if (clear) {
        this.logger.info('removing the lock of an interrupted backup', { lock });
        await this.release(lock);
      }
    }
    return stale;
  }
}
