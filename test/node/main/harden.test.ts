import { describe, expect, it } from 'vitest';

import {
  hardenSession,
  hardenWebContents,
  type SessionLike,
  type WebContentsLike,
} from '../../../electron/main/harden';
import { appEntryUrl } from '../../../electron/main/security';
import { createCapturingLogger } from '../../support/fakes/captureLogger';

type Listener = (event: { url: string; preventDefault(): void }) => void;

/** A fake Session that keeps what hardenSession registers, for the test to call as Electron would. */
function fakeSession() {
  const fake = {
    headers: undefined as undefined | Parameters<SessionLike['webRequest']['onHeadersReceived']>[0],
    permission: undefined as undefined | Parameters<SessionLike['setPermissionRequestHandler']>[0],
    check: undefined as undefined | (() => boolean),
  };
  const session: SessionLike = {
    webRequest: { onHeadersReceived: (listener) => (fake.headers = listener) },
    setPermissionRequestHandler: (handler) => (fake.permission = handler),
    setPermissionCheckHandler: (handler) => (fake.check = handler),
  };
  return { fake, session };
}

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on: (event: string, listener: Listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler) => (openHandler = handler),
  };
  const fire = (event: string, url = ''): boolean => {
    let prevented = false;
    listeners.get(event)?.({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('the session and web contents rules', () => {
  const app = appEntryUrl();

  it('adds the strict CSP header to every response and grants no permission', () => {
    const { fake, session } = fakeSession();
    hardenSession(session, app);
    let headers: Record<string, string[] | string> = {};
    fake.headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => {
      headers = response.responseHeaders;
    });
    expect(headers['Content-Type']).toEqual(['text/html']);
    expect(String(headers['Content-Security-Policy'])).toContain("connect-src 'self';");
    let granted: boolean | undefined;
    fake.permission?.({}, 'media', (answer) => (granted = answer));
    expect(granted).toBe(false);
    expect(fake.check?.()).toBe(false);
  });

  it('blocks navigation and redirects away from the app, every webview and every new window', () => {
    const { contents, fire, open } = fakeContents();
    const opened: string[] = [];
    hardenWebContents(contents, app, createCapturingLogger().logger, async (url) => {
      opened.push(url);
    });
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', `${app}#/fleet`)).toBe(false);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
  });
});
