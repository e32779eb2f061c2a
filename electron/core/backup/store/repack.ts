import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import type { PackEntry } from './packs';
import { packPath } from './packs';
import type { StoreContext } from './storeContext';

/**
 * A pack is rewritten once this share of its bytes serves no backup: its live chunks are copied (as they are, never
 * decoded) into new packs and the old one goes. Below it the dead bytes wait: rewriting a large pack to free a few
 * kilobytes costs more than it gives.
 */
export const REPACK_THRESHOLD = 0.2;

export type PackUse = { id: string; bytes: number; live: PackEntry[]; deadBytes: number; deadChunks: number };

/** For each pack still needed: the chunks in it that serve a referenced chunk, and how much of it is dead. */
export function packUse(ctx: StoreContext, referenced: ReadonlySet<string>, livePacks: ReadonlySet<string>): PackUse[] {
  const out: PackUse[] = [];
  for (const pack of ctx.chunks.index.packList()) {
    if (!livePacks.has(pack.id)) {
      continue;
    }
    const live = pack.entries.filter((e) => {
      const location = referenced.has(e.id) ? ctx.chunks.index.usable(e.id) : undefined;
      return location?.kind === 'pack' && location.pack === pack.id;
    });
    // Small chunks of one block share its blob: each blob counts once.
    const liveBytes = [...new Map(live.map((e) => [e.offset, e.length])).values()].reduce((n, l) => n + l, 0);
    out.push({
      id: pack.id,
      bytes: pack.bytes,
      live,
      deadBytes: pack.bytes - liveBytes,
      deadChunks: pack.entries.length - live.length,
    });
  }
  return out;
}

export function needsRepack(use: PackUse): boolean {
  return use.deadBytes / use.bytes >= REPACK_THRESHOLD;
}

/**
 * Copies the live chunks of these packs into new packs and indexes them; returns the packs that were copied (a pack
 * whose bytes no longer match its name is left as it is, for check to report: copying it would spread the damage).
 */
export async function repack(ctx: StoreContext, uses: readonly PackUse[]): Promise<string[]> {
  const copied: string[] = [];
  for (const use of uses) {
    const data = await readFile(packPath(ctx.layout, use.id)).catch(() => null);
    if (data === null || createHash('sha256').update(data).digest('hex') !== use.id) {
      ctx.logger.warn('pack not repacked: it does not match its name', { pack: use.id });
      continue;
    }
    // Blob by blob: a block goes over whole (with its members that are live), never decoded.
    const blobs = new Map<number, PackEntry[]>();
    for (const entry of use.live) {
      blobs.set(entry.offset, [...(blobs.get(entry.offset) ?? []), entry]);
    }
    for (const [offset, members] of blobs) {
      const length = members[0]?.length ?? 0;
      await ctx.chunks.packs.appendBlob(
        members.map((m) =>
          m.inner === undefined ? { id: m.id, size: m.size } : { id: m.id, size: m.size, inner: m.inner },
        ),
        data.subarray(offset, offset + length),
      );
    }
    copied.push(use.id);
  }
  await ctx.chunks.commitPacks();
  return copied;
}
