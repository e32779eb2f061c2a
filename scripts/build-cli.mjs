// Bundles the ohtw CLI into dist/cli/ohtw.cjs (or --outdir <dir>); see cli-bundle.mjs. With --if-stale, only when
// the sources changed since the last build (scripts/setup.sh runs it so).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { buildCliBundle, cliBundlePaths, cliBundleState } from './cli-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' }, 'if-stale': { type: 'boolean' } } });
const { outdir } = cliBundlePaths(root, values.outdir === undefined ? undefined : path.resolve(values.outdir));
if (values['if-stale'] && cliBundleState(root, outdir).kind === 'fresh') {
  console.log('build-cli: dist/cli is up to date');
} else {
  const { bundle } = await buildCliBundle(root, outdir);
  console.log(`build-cli: wrote ${path.relative(root, bundle)}`);
}
