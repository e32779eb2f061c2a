// The report charts are drawn in a worker thread of their own (electron/core/logbook/report/chartWorker.mjs), a file
// the bundled core finds beside itself: the desktop app's main.cjs and the CLI's ohtw.cjs both need it there.
import path from 'node:path';

/** Bundles the chart worker into `outfile` (ESM); returns the files it was built from. */
export async function buildChartWorker(root, outfile, target) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['electron/core/logbook/report/chartWorker.mjs'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target,
    sourcemap: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    // Some of what it bundles still calls require() for Node built-ins.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return Object.keys(result.metafile.inputs).map((file) => path.normalize(file));
}
