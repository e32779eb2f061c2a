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
    });
  });

  it('the app URL is the built index.html as file://, or the dev server when given', () => {
    const index = path.resolve('/app/dist/renderer/index.html');
    expect(appEntryUrl(index)).toMatch(/^file:\/\/.*\/app\/dist\/renderer\/index\.html$/);
    expect(appEntryUrl(index, '')).toBe(appEntryUrl(index));
    expect(appEntryUrl(index, 'http://localhost:5173')).toBe('http://localhost:5173/');
  });

  it('allows navigation only within the app page', () => {
    const app = appEntryUrl('/app/dist/renderer/index.html');
    expect(isAllowedNavigation(`${app}#/history`, app)).toBe(true);
    expect(isAllowedNavigation('file:///app/dist/renderer/other.html', app)).toBe(false);
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
    expect(windowConnectSources('file:///app/dist/renderer/index.html')).toEqual([]);
    expect(windowConnectSources('http://localhost:5173/')).toEqual(['http://localhost:5173', 'ws://localhost:5173']);
  });

  it('finds the preload and the renderer where the builds put them', () => {
    expect(appPaths('/app')).toEqual({
      preload: path.join('/app', 'dist', 'electron', 'preload.cjs'),
      rendererIndex: path.join('/app', 'dist', 'renderer', 'index.html'),
    });
  });
});
