// The built CLI: one CommonJS file, dist/cli/ohtw.cjs, bundled by esbuild from electron/cli/index.ts with the native
// modules left outside (they load from node_modules, rebuilt for Electron's ABI in the packaged app). One file, so
// the packaged app's Electron (ELECTRON_RUN_AS_NODE) can load it from inside app.asar and a rebuild replaces it in
// one rename. Beside it, ohtw.inputs.json lists the files it was built from, so that bin/ohtw.js can tell a bundle
// older than its sources and never run it silently.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

import { buildChartWorker } from './chart-worker-bundle.mjs';

/** Native addons (and the packages that load them) stay outside the bundle. */
export const NATIVE_MODULES = ['better-sqlite3', 'ssh2', 'serialport', '@serialport/*', 'cpu-features'];

export function cliBundlePaths(root, outdir = path.join(root, 'dist', 'cli')) {
  return {
    outdir,
    bundle: path.join(outdir, 'ohtw.cjs'),
    inputs: path.join(outdir, 'ohtw.inputs.json'),
    // The report charts' worker, which the bundled core looks for beside the bundle.
    chartWorker: path.join(outdir, 'chartWorker.mjs'),
  };
}

/**
 * fresh: built after its last input changed; stale: an input changed (or vanished) since; missing: never built.
 * Only stats the files, so a fresh bundle costs each CLI call a few milliseconds at most.
 */
export function cliBundleState(root, outdir) {
  const paths = cliBundlePaths(root, outdir);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(paths.inputs, 'utf8'));
    statSync(paths.bundle);
    statSync(paths.chartWorker);
  } catch {
    return { kind: 'missing' };
  }
  for (const file of manifest.inputs) {
    let mtimeMs;
    try {
      mtimeMs = statSync(path.join(root, file)).mtimeMs;
    } catch {
      return { kind: 'stale', reason: `${file} is gone` };
    }
    if (mtimeMs > manifest.builtAtMs) {
      return { kind: 'stale', reason: `${file} changed` };
    }
  }
  return { kind: 'fresh' };
}

/** Builds the bundle (written aside, then renamed over the old one) and its list of inputs. */
export async function buildCliBundle(root, outdir) {
  const { build } = await import('esbuild');
  const paths = cliBundlePaths(root, outdir);
  const builtAtMs = Date.now();
  const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  mkdirSync(paths.outdir, { recursive: true });
  const draft = `${paths.bundle}.${process.pid}.draft`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['electron/cli/index.ts'],
    outfile: draft,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: NATIVE_MODULES,
    // import() of a native module becomes require(): one loader for all of them, also inside app.asar.
    supported: { 'dynamic-import': false },
    define: { __OHTW_VERSION__: JSON.stringify(version) },
    metafile: true,
    // Load-time cost is what this bundle is for; names stay readable for stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    // drawCharts.ts finds its worker beside the bundle when import.meta.url is empty, as it is here.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  const draftWorker = `${paths.chartWorker}.${process.pid}.draft.mjs`;
  const workerInputs = await buildChartWorker(root, draftWorker, 'node20');
  const inputs = [...new Set([...Object.keys(result.metafile.inputs), ...workerInputs])]
    .filter((file) => !file.startsWith('node_modules/'))
    .concat([
      'package.json',
      path.relative(root, fileURLToPath(import.meta.url)),
      path.relative(root, fileURLToPath(new URL('./chart-worker-bundle.mjs', import.meta.url))),
    ])
    .sort();
  renameSync(draftWorker, paths.chartWorker);
  renameSync(draft, paths.bundle);
  const draftInputs = `${paths.inputs}.${process.pid}.draft`;
  writeFileSync(draftInputs, `${JSON.stringify({ builtAtMs, version, inputs }, null, 1)}\n`);
  renameSync(draftInputs, paths.inputs);
  return paths;
}

/**
 * Runs the bundle in this process as require() would, with V8's code cache kept beside it (per Node version):
 * compiling the whole bundle is most of what a call of the CLI costs before it does anything. A cache that does
 * not fit (a rebuilt bundle, another V8) is rejected by V8 and written anew; without one, the bundle compiles.
 */
export function runCliBundle(bundle) {
  const cacheFile = `${bundle}.${process.versions.v8}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // Written once the command is done, so the cache holds the functions this command compiled too.
    process.once('exit', () => {
      try {
        const draft = `${cacheFile}.${process.pid}.draft`;
        writeFileSync(draft, script.createCachedData());
        renameSync(draft, cacheFile);
      } catch {
        // A read-only install: the next call compiles again.
      }
    });
  }
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
}
