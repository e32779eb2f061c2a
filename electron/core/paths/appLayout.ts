import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the application's own files are: the shipped resources (register maps, procedures, the backup profile),
 * the renderer build the browser host serves, and the version stamped on reports. Each face resolves this once
 * where it starts and passes it in; nothing else looks for files relative to its own source file, because a
 * bundle (the built CLI, the packaged app) puts every source file in one place.
 */
export type AppLayout = {
  /** The application root: a checkout, an installed package, or the packaged app's app.asar. */
  rootDir: string;
  /** The shipped `resources/` folder; never written to at run time. */
  resourcesDir: string;
  /** The renderer build (`dist/renderer`); it may be missing in a checkout that has not built it. */
  rendererDir: string;
  version: string;
};

/** What a face knows about where it runs. */
export type LayoutHints = {
  /** A folder inside the application (the entry file's); the root is found from there upwards. */
  anchorDir?: string | undefined;
  /** Electron's process.resourcesPath in the packaged app, where electron-builder copies resources/. */
  resourcesPath?: string | undefined;
  /** The version the build compiled in; read from the root's package.json otherwise. */
  builtVersion?: string | undefined;
};

const PACKAGE_NAME = 'oht50-workstation';

/** Set by esbuild (`define`) in a bundle; absent when the sources run directly (tsx, vitest). */
declare const __OHTW_VERSION__: string | undefined;

/** The version compiled into this bundle, if this code runs from one. */
export function builtVersion(): string | undefined {
  return typeof __OHTW_VERSION__ === 'string' ? __OHTW_VERSION__ : undefined;
}

/** Electron sets process.resourcesPath in the packaged app (and in an unpackaged run, to Electron's own). */
function electronResourcesPath(): string | undefined {
  const value = (process as { resourcesPath?: unknown }).resourcesPath;
  return typeof value === 'string' ? value : undefined;
}

/** The folder of this module: its source folder under tsx and vitest, the bundle's folder when bundled. */
function ownDir(): string | undefined {
  try {
    if (typeof import.meta.url === 'string') {
      return dirname(fileURLToPath(import.meta.url));
    }
  } catch {
    // Bundled as CommonJS: import.meta is empty there and __dirname says where the bundle is.
  }
  return typeof __dirname === 'string' ? __dirname : undefined;
}

function readPackage(dir: string): { name?: unknown; version?: unknown } | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return null;
  }
}

/** The nearest folder at or above `start` holding this application's package.json. */
function findRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (readPackage(dir)?.name === PACKAGE_NAME) {
      return dir;
    }
    if (dirname(dir) === dir) {
      return undefined;
    }
  }
}

/**
 * Resolves the layout from the hints: the root is found upwards from the anchor (this module's own folder when
 * none is given); the packaged app's resources folder wins over the root's copy when it is there.
 */
export function resolveAppLayout(hints: LayoutHints = {}): AppLayout {
  const anchor = hints.anchorDir ?? ownDir() ?? process.cwd();
  const resourcesPath = hints.resourcesPath ?? electronResourcesPath();
  const rootDir = findRoot(anchor) ?? findRoot(process.cwd());
  if (rootDir === undefined) {
    throw new Error(`cannot find the ${PACKAGE_NAME} application files above ${anchor}`);
  }
  const packaged = resourcesPath === undefined ? undefined : join(resourcesPath, 'resources');
  const resourcesDir = packaged !== undefined && existsSync(packaged) ? packaged : join(rootDir, 'resources');
  const version = hints.builtVersion ?? builtVersion() ?? readPackage(rootDir)?.version;
  return {
    rootDir,
    resourcesDir,
    rendererDir: join(rootDir, 'dist', 'renderer'),
    version: typeof version === 'string' ? version : '0.0.0',
  };
}

/** Whether the renderer has been built (`npm run build:renderer`). */
export function rendererBuilt(layout: Pick<AppLayout, 'rendererDir'>): boolean {
  return existsSync(join(layout.rendererDir, 'index.html'));
}
