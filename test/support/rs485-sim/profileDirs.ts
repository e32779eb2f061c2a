import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach } from 'vitest';

import {
  loadProfileCatalog,
  selectProfile,
  shippedRs485Dir,
  type ProfileCatalog,
} from '../../../electron/core/rs485/profiles';
import type { ModuleType, Rs485Profile } from '../../../shared/domain/rs485Profile';
import { RESOURCES_DIR } from '../appLayout';

/** The shipped maps of this checkout. */
export const SHIPPED_DIR = shippedRs485Dir(RESOURCES_DIR);

let shipped: Promise<ProfileCatalog> | undefined;

/** The shipped catalog, read once per test file. */
export function shippedCatalog(): Promise<ProfileCatalog> {
  shipped ??= loadProfileCatalog({ shippedDir: SHIPPED_DIR });
  return shipped;
}

/** The default shipped profile of a module type, or the named variant. */
export async function shippedProfile(type: ModuleType, variant?: string): Promise<Rs485Profile> {
  const catalog = await shippedCatalog();
  return selectProfile(catalog, type, variant === undefined ? {} : { [type]: variant }).profile;
}

/** A fresh temp folder per test, removed afterwards. */
export function useTempFolder(prefix = 'ohtw-rs485-'): () => string {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    }
  });
  return () => {
    dir ??= mkdtempSync(join(tmpdir(), prefix));
    return dir;
  };
}
