import type { Clock } from '../../ports/Clock';
import type { Logger } from '../../ports/Logger';
import type { ChunkerParams } from './chunker';
import type { ChunkStore } from './chunkStore';
import type { StoreKeyRing } from './keys';
import type { StoreLayout } from './layout';
import type { StoreLocks } from './locks';
import type { Manifests } from './manifests';

/** The parts of an open store that its jobs (writing, verifying, checking, pruning) share. */
export type StoreContext = {
  readonly dir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly layout: StoreLayout;
  readonly keys: StoreKeyRing;
  readonly locks: StoreLocks;
  readonly chunks: ChunkStore;
  readonly manifests: Manifests;
  readonly chunker: ChunkerParams;
  /** Backups being written from this process: prune refuses while any is open, close aborts them. */
  readonly writers: Set<{ readonly id: string; abort(): Promise<void> }>;
  /** A prune of this process is running: no writer may begin. */
  pruning: boolean;
};
