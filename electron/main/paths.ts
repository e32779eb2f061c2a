import path from 'node:path';

/** Where the packaged files sit, relative to the app root (`app.getAppPath()`); build-electron.mjs writes them there. */
export function appPaths(appRoot: string): { preload: string; rendererIndex: string } {
  return {
    preload: path.join(appRoot, 'dist', 'electron', 'preload.cjs'),
    rendererIndex: path.join(appRoot, 'dist', 'renderer', 'index.html'),
  };
}
