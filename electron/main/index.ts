import { dirname, join } from 'node:path';

import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, shell } from 'electron';

import { IPC_EVENT_CHANNEL } from '../../shared/ipc/contract';
import { keychainKeyProvider } from '../core/backup/store/keyProviders';
import { createCore, type Core } from '../core/createCore';
import { defaultAuditKeySources, givenKeySource } from '../core/history/auditKey';
import { SessionPassphrase } from '../core/session/SessionPassphrase';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol';
import { createStderrLogger } from '../core/ports/Logger';
import { registerIpcHandlers } from './ipc/registerIpcHandlers';
import { createSenderValidator } from './ipc/validateSender';
import { keychainAuditKey, keyringKind, safeStorageKeychain } from './keychain';
import { appPaths } from './paths';
import { electronPdfPrinter } from './printToPdf';
import { appEntryUrl } from './security';
import { hardenSession, hardenWebContents } from './harden';
import { createMainWindow } from './window';

/**
 * The Electron face: glue only. The core does the work; this file wires it to one window over the
 * contract's IPC channels and closes it when the app quits.
 */
const logger = createStderrLogger('info').child({ face: 'electron' });
const paths = appPaths(app.getAppPath());
// A dev server is honoured only in an unpackaged run: a shipped app always shows its own files.
const devServerUrl = app.isPackaged ? undefined : process.env.OHTW_RENDERER_DEV_URL;
const appUrl = appEntryUrl(devServerUrl);

// Before the app is ready: the UI's own scheme, a standard and secure origin (see appProtocol.ts).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;
let shutdownStarted = false;

// Every web contents, including any created later, gets the navigation, window-open and webview rules.
app.on('web-contents-created', (_event, contents) =>
  hardenWebContents(contents, appUrl, logger, (url) => shell.openExternal(url)),
);

// Two instances would share one history database; the second just brings the first to the front.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow !== undefined && !mainWindow.isDestroyed()) {
      if (mainWindow.isMinimized()) {
        mainWindow.restore();
      }
      mainWindow.focus();
    }
  });
  app.whenReady().then(start, (error: unknown) => fail(error));
}

async function start(): Promise<void> {
  try {
    hardenSession(session.defaultSession, appUrl);
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: dirname(paths.rendererIndex) }));
    const dataDir = app.getPath('userData');
    const env = process.env;
    // Only a real keyring keeps the keys; on Linux's basic_text fallback the store passphrase is asked for instead.
    const keyring = await keyringKind(safeStorage, process.platform);
    const passphrase = new SessionPassphrase(env);
    const auditKey = await keychainAuditKey(safeStorage, join(dataDir, 'audit-key.sealed'), process.platform);
    const opened = await createCore({
      dataDir,
      face: 'electron',
      logger,
      env,
      sessionPassphrase: passphrase,
      passphraseMustBeAsked: keyring !== 'keyring' && !env.OHTW_PASSPHRASE,
      auditKeys: [
        ...(auditKey ? [givenKeySource(auditKey, 'the OS keychain')] : []),
        ...defaultAuditKeySources(env, dataDir, () => passphrase.get(), { createKeyFile: false }),
      ],
      // OHTW_PASSPHRASE still wins where it is set (a shared store); otherwise the OS keychain keeps the key.
      ...(env.OHTW_PASSPHRASE || keyring !== 'keyring'
        ? {}
        : {
            keyProvider: keychainKeyProvider(
              safeStorageKeychain(safeStorage, join(dataDir, 'backup-key.sealed'), process.platform),
            ),
          }),
      pdfPrinter: electronPdfPrinter(
        () =>
          new BrowserWindow({
            show: false,
            webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
          }),
      ),
    });
    core = opened;
    registerIpcHandlers(
      ipcMain,
      (name, input) => opened.dispatch(name, input, { face: 'electron' }),
      createSenderValidator(appUrl),
      logger,
    );
    opened.events.subscribe((event) => {
      if (mainWindow !== undefined && !mainWindow.isDestroyed()) {
        mainWindow.webContents.send(IPC_EVENT_CHANNEL, { name: event.name, payload: event.payload });
      }
    });
    mainWindow = await createMainWindow({ preloadPath: paths.preload, appUrl, logger });
    mainWindow.on('closed', () => {
      mainWindow = undefined;
    });
  } catch (error) {
    fail(error);
  }
}

function fail(error: unknown): void {
  logger.error('the workstation failed to start', { error: String(error) });
  app.exit(1);
}

// The core lives with the window: closing it ends the session, on every platform.
app.on('window-all-closed', () => app.quit());

// Quitting waits for the core to close (history database, open connections) exactly once.
app.on('before-quit', (event) => {
  if (core === undefined || shutdownStarted) {
    return;
  }
  shutdownStarted = true;
  event.preventDefault();
  const closing = core;
  core = undefined;
  closing.close().then(
    () => app.quit(),
    (error: unknown) => {
      logger.error('the core did not close cleanly', { error: String(error) });
      app.quit();
    },
  );
});
