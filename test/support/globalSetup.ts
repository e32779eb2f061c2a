import { resolve } from 'node:path';

import { buildCliBundle, cliBundleState } from '../../scripts/cli-bundle.mjs';

/**
 * Once before the node tests: the built CLI is brought up to date with the sources, so that tests (and their
 * parallel workers) that run `bin/ohtw.js` as a technician does do not each rebuild it on their first call.
 */
export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  if (cliBundleState(root).kind !== 'fresh') {
    await buildCliBundle(root);
  }
}
