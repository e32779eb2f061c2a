import { APP_ENTRY_URL } from './appProtocol';

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
 * The URL the window loads: the dev server when one is given (development only, never in a packaged app), else the
 * built renderer served by the app's own scheme (app://workstation/index.html, see appProtocol.ts).
 */
export function appEntryUrl(devServerUrl?: string): string {
  if (devServerUrl !== undefined && devServerUrl !== '') {
    return new URL(devServerUrl).href;
  }
  return APP_ENTRY_URL;
}

/**
 * Whether url is the app's own page: the app scheme's origin (app://workstation), or the dev server's origin. A
 * file:// URL never is. Path, query and hash are the app's own business.
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
  if (app.protocol === 'app:') {
    return candidate.protocol === 'app:' && candidate.host === app.host;
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

/**
 * Checklist 7: the CSP header's connect sources beyond 'self'. The app scheme needs none (the window reaches the core
 * over IPC); only the dev server needs its own origin and WebSocket for hot reload.
 */
export function windowConnectSources(appUrl: string): string[] {
  const app = new URL(appUrl);
  if (app.protocol !== 'http:' && app.protocol !== 'https:') {
    return [];
  }
  return [app.origin, `${app.protocol === 'https:' ? 'wss:' : 'ws:'}//${app.host}`];
}
