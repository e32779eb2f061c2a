import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The window's security settings and policies as plain functions, so that tests check them without
 * Electron. Items refer to Electron's security checklist.
 */

/** The subset of Electron's WebPreferences this app sets; every value is the safe one, stated explicitly. */
export type SecureWebPreferences = {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
};

export function secureWebPreferences(preloadPath: string): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    // A file dropped on the window must not replace the app with that file.
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/**
 * The URL the window loads: the dev server when one is given (development only), else the built
 * renderer's index.html as a file:// URL.
 */
export function appEntryUrl(rendererIndexPath: string, devServerUrl?: string): string {
  if (devServerUrl !== undefined && devServerUrl !== '') {
    return new URL(devServerUrl).href;
  }
  return pathToFileURL(path.resolve(rendererIndexPath)).href;
}

/**
 * Whether url is the app's own page. For file:// the exact file is required (any other file on disk is
 * not the app); for the dev server, its origin. Query and hash are the app's own business.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let candidate: URL;
  let app: URL;
  try {
    candidate = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') {
    return candidate.protocol === 'file:' && candidate.host === app.host && candidate.pathname === app.pathname;
  }
  if (app.protocol === 'http:' || app.protocol === 'https:') {
    return candidate.origin === app.origin;
  }
  return false;
}

/** Checklist 13: the window only ever shows the app itself. */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  return isAppUrl(url, appUrl);
}

/**
 * Checklist 15: a link may open in the system browser only when it is https and under one of the
 * allow-listed documentation prefixes; anything else is dropped.
 */
export function isAllowedExternalUrl(url: string, allowedPrefixes: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') {
    return false;
  }
  return allowedPrefixes.some((prefix) => {
    const allowed = new URL(prefix);
    return parsed.origin === allowed.origin && parsed.pathname.startsWith(allowed.pathname);
  });
}

/** Checklist 7: the CSP header the window's session adds; the dev server also needs its own origin for HMR. */
export function windowConnectSources(appUrl: string): string[] {
  const app = new URL(appUrl);
  if (app.protocol !== 'http:' && app.protocol !== 'https:') {
    return [];
  }
  return [app.origin, `${app.protocol === 'https:' ? 'wss:' : 'ws:'}//${app.host}`];
}
