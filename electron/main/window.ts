import { BrowserWindow } from 'electron';

import type { Logger } from '../core/ports/Logger';
import { secureWebPreferences } from './security';

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
