import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { appPaths } from '../../../electron/main/paths';
import {
  appEntryUrl,
  isAllowedExternalUrl,
  isAllowedNavigation,
  secureWebPreferences,
  windowConnectSources,
} from '../../../electron/main/security';

describe('window security', () => {
  it('webPreferences isolate and sandbox the page and load only the given preload', () => {
    const prefs = secureWebPreferences('/app/dist/electron/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(Object.keys(prefs)).not.toContain('enableBlinkFeatures');
  });

  it("the page's own CSP allows connections to its own origin only (no ws: to any host)", () => {
    const html = readFileSync(path.resolve(import.meta.dirname, '../../../renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp.split(/;\s*/)).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/\bws:|\bwss:|\*/);
  });

  it('the app URL is the app scheme, never file://, or the dev server when given', () => {
    expect(appEntryUrl()).toBe('app://workstation/index.html');
    expect(appEntryUrl('')).toBe(appEntryUrl());
    expect(appEntryUrl('http://localhost:5173')).toBe('http://localhost:5173/');
  });

  it('allows navigation only within the app page', () => {
    const app = appEntryUrl();
    expect(isAllowedNavigation(`${app}#/history`, app)).toBe(true);
    expect(isAllowedNavigation('app://workstation/assets/index.js', app)).toBe(true);
    expect(isAllowedNavigation('app://elsewhere/index.html', app)).toBe(false);
    expect(isAllowedNavigation('file:///app/dist/renderer/index.html', app)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', app)).toBe(false);
    expect(isAllowedNavigation('https://evil.example/', app)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', app)).toBe(false);
    expect(isAllowedNavigation('garbage', app)).toBe(false);

    const dev = 'http://localhost:5173/';
    expect(isAllowedNavigation('http://localhost:5173/units', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5173.evil.example/', dev)).toBe(false);
    expect(isAllowedNavigation('http://localhost@evil.example/', dev)).toBe(false);
  });

  it('opens externally only https URLs under an allow-listed prefix', () => {
    const docs = ['https://docs.example.com/oht50/'];
    expect(isAllowedExternalUrl('https://docs.example.com/oht50/manual#x', docs)).toBe(true);
    expect(isAllowedExternalUrl('https://docs.example.com/other', docs)).toBe(false);
    expect(isAllowedExternalUrl('http://docs.example.com/oht50/', docs)).toBe(false);
    expect(isAllowedExternalUrl('https://docs.example.com.evil.example/oht50/', docs)).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@docs.example.com/oht50/', docs)).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd', docs)).toBe(false);
    expect(isAllowedExternalUrl('https://docs.example.com/oht50/', [])).toBe(false);
  });

  it('the window CSP needs extra connect sources only for a dev server', () => {
    expect(windowConnectSources(appEntryUrl())).toEqual([]);
    expect(windowConnectSources('http://localhost:5173/')).toEqual(['http://localhost:5173', 'ws://localhost:5173']);
  });

  it('finds the preload and the renderer where the builds put them', () => {
    expect(appPaths('/app')).toEqual({
      preload: path.join('/app', 'dist', 'electron', 'preload.cjs'),
      rendererIndex: path.join('/app', 'dist', 'renderer', 'index.html'),
    });
  });
});
