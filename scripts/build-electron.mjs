// Bundles the Electron main process and the preload into dist/electron (or --outdir <dir>).
// The preload runs sandboxed, where `require` sees only electron's renderer half: it must be one
// self-contained file, and this script fails the build if anything else is required from it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { build } from 'esbuild';

import { buildChartWorker } from './chart-worker-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = path.resolve(values.outdir ?? path.join(root, 'dist', 'electron'));

// Native addons are loaded from node_modules at run time (rebuilt for Electron's ABI when packaging).
// pg-native is pg's optional binding, asked for only through pg.native, which the team sync never uses: not installed.
const NATIVE = ['better-sqlite3', 'ssh2', 'serialport', '@serialport/*', 'cpu-features', 'pg-native'];

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

await build({
  ...common,
  entryPoints: ['electron/main/entry.ts'],
  outfile: path.join(outdir, 'main.cjs'),
  platform: 'node',
  // Electron 39 embeds Node 22.
  target: 'node22',
  external: ['electron', ...NATIVE],
  // drawCharts.ts finds its worker beside the bundle when import.meta.url is empty, as it is here.
  logOverride: { 'empty-import-meta': 'silent' },
});

// The report charts are drawn in a worker thread of their own: a file beside main.cjs.
await buildChartWorker(root, path.join(outdir, 'chartWorker.mjs'), 'node22');

const preloadFile = path.join(outdir, 'preload.cjs');
await build({
  ...common,
  entryPoints: ['electron/preload/index.ts'],
  outfile: preloadFile,
  platform: 'browser',
  // Electron 39 ships Chromium 142.
  target: 'chrome142',
  external: ['electron'],
});

const preload = await readFile(preloadFile, 'utf8');
const required = [...preload.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
const stray = required.filter((name) => name !== 'electron');
if (stray.length > 0) {
  console.error(`build-electron: the sandboxed preload must require only electron, found: ${stray.join(', ')}`);
  process.exit(1);
}

console.log(`build-electron: wrote ${path.relative(root, outdir) || '.'}/main.cjs, chartWorker.mjs and preload.cjs`);
