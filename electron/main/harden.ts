import type { Logger } from '../core/ports/Logger';
import { buildContentSecurityPolicy } from '../host/csp';
import { isAllowedExternalUrl, isAllowedNavigation, windowConnectSources } from './security';

/**
 * The session and web-contents rules of Electron's security checklist, over the few parts of Session and WebContents
 * they use, so that tests drive them with fakes (the Electron binary is absent where tests run).
 */

type HeadersDetails = { responseHeaders?: Record<string, string[] | string> };

export type SessionLike = {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: HeadersDetails,
        callback: (response: { responseHeaders: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
};

type PreventableEvent = { url: string; preventDefault(): void };

export type WebContentsLike = {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent) => void): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
};

/** Documentation sites a link in the app may open in the system browser. None is published yet. */
export const EXTERNAL_DOCS_PREFIXES: readonly string[] = [];

/**
 * Checklist 5 and 7, once per session: the CSP header on every response (the app:// handler sets it too) and a flat
 * no to every permission request and check.
 */
export function hardenSession(session: SessionLike, appUrl: string): void {
  const csp = buildContentSecurityPolicy({ connectSources: windowConnectSources(appUrl) });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  // The workstation needs no camera, notifications, serial chooser or anything else from the page.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Checklist 12 to 15 for any web contents, the main window's or one created later: no navigation away from the app,
 * no new windows, no webviews. Links to allow-listed docs open in the system browser.
 */
export function hardenWebContents(
  contents: WebContentsLike,
  appUrl: string,
  logger: Logger,
  openExternal: (url: string) => Promise<void>,
): void {
  contents.on('will-navigate', (event: PreventableEvent) => {
    if (!isAllowedNavigation(event.url, appUrl)) {
      logger.warn('navigation away from the app blocked', { target: event.url });
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event: PreventableEvent) => {
    if (!isAllowedNavigation(event.url, appUrl)) {
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event: { preventDefault(): void }) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url, EXTERNAL_DOCS_PREFIXES)) {
      void openExternal(url);
    } else {
      logger.warn('window.open blocked', { target: url });
    }
    return { action: 'deny' };
  });
}
