#!/usr/bin/env node
// Runs the built CLI, dist/cli/ohtw.cjs (`npm run build`, scripts/setup.sh). In a checkout whose sources changed
// since that build, the bundle is rebuilt first, so an edit is never silently ignored. Without esbuild (an install
// without the dev dependencies) the bundle runs as it is; without a bundle, the sources run through tsx.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildCliBundle, cliBundlePaths, cliBundleState, runCliBundle } from '../scripts/cli-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { bundle } = cliBundlePaths(root);
const state = cliBundleState(root);

async function rebuilt() {
  try {
    await buildCliBundle(root);
    return true;
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') {
      // A build error (a syntax error in an edited file): the sources through tsx show it in full.
      process.stderr.write(`ohtw: the CLI could not be rebuilt (${error?.message ?? error}); running the sources\n`);
    }
    return false;
  }
}

if (state.kind === 'fresh' || (await rebuilt())) {
  runCliBundle(bundle);
} else if (
  state.kind === 'stale' &&
  !(await import('tsx/esm/api').then(
    () => true,
    () => false,
  ))
) {
  process.stderr.write(`ohtw: ${state.reason} since dist/cli was built, and esbuild is not installed to rebuild it\n`);
  runCliBundle(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/cli/index.ts');
}
