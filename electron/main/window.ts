import { BrowserWindow, shell, type Session, type WebContents } from 'electron';

import type { Logger } from '../core/ports/Logger';
import { buildContentSecurityPolicy } from '../host/csp';
import { isAllowedExternalUrl, isAllowedNavigation, secureWebPreferences, windowConnectSources } from './security';

/** Documentation sites a link in the app may open in the system browser. None is published yet. */
export const EXTERNAL_DOCS_PREFIXES: readonly string[] = [];

/**
 * Checklist 7 and the permission rules, once per session: the CSP header on every response (the page's
 * meta tag covers file://, which has no headers) and a flat no to every permission request.
 */
export function hardenSession(session: Session, appUrl: string): void {
  const csp = buildContentSecurityPolicy({ connectSources: windowConnectSources(appUrl) });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  // The workstation needs no camera, notifications, serial chooser or anything else from the page.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Checklist 12 to 14 for any web contents, the main window's or one created later: no navigation away
 * from the app, no new windows, no webviews. Links to allow-listed docs open in the system browser.
 */
export function hardenWebContents(contents: WebContents, appUrl: string, logger: Logger): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, appUrl)) {
      logger.warn('navigation away from the app blocked', { target: event.url });
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, appUrl)) {
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url, EXTERNAL_DOCS_PREFIXES)) {
      void shell.openExternal(url);
    } else {
      logger.warn('window.open blocked', { target: url });
    }
    return { action: 'deny' };
  });
}

export type MainWindowOptions = { preloadPath: string; appUrl: string; logger: Logger };

/** The one window: secure preferences, shown once painted, loading the app's own page. */
export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'OHT-50 Workstation',
    show: false,
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(options.appUrl);
  return window;
}
