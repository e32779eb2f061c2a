/**
 * One entry of a unit's tree, as the backup manifest records it or as the unit has it now. `other` is what the
 * unit may have that a backup never holds (a fifo, a socket, a device): listed, never written or deleted.
 */
export type TreeEntry = {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits (with setuid/setgid/sticky). */
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  /** Hex SHA-256 of a file's content; '' for everything else. */
  sha256: string;
  linkTarget?: string | undefined;
};

/** What differs between the entry a restore wants and the one the unit has (empty: unchanged). */
export function differences(want: TreeEntry, have: TreeEntry): ('content' | 'type' | 'target' | 'mode' | 'owner')[] {
  if (want.type !== have.type) {
    return ['type'];
  }
  const out: ('content' | 'type' | 'target' | 'mode' | 'owner')[] = [];
  if (want.type === 'file' && (want.sha256 !== have.sha256 || want.size !== have.size)) {
    out.push('content');
  }
  if (want.type === 'symlink' && want.linkTarget !== have.linkTarget) {
    out.push('target');
  }
  // A symlink's own mode means nothing on Linux.
  if (want.type !== 'symlink' && want.mode !== have.mode) {
    out.push('mode');
  }
  if (!sameOwner(want, have)) {
    out.push('owner');
  }
  return out;
}

/**
 * Owners compare by name where both sides have one (a replacement board may number the `oht` account differently),
 * else by number (also when a side records the number as the name).
 */
function sameOwner(want: TreeEntry, have: TreeEntry): boolean {
  const user = named(want.owner) && named(have.owner) ? want.owner === have.owner : want.uid === have.uid;
  const group = named(want.group) && named(have.group) ? want.group === have.group : want.gid === have.gid;
  return user && group;
}

/** A name that is only digits is an id written out (an account the unit has no name for): compare the numbers. */
function named(name: string): boolean {
  return name !== '' && !/^\d+$/.test(name);
}
