import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startBrowserHost, type BrowserHost } from '../../../electron/host/BrowserHost';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { createFakeCoreFace } from '../../support/fakes/fakeCoreFace';

export const INDEX_HTML = '<!doctype html><title>OHT-50 Workstation</title><div id="root"></div>';

/**
 * A browser host over a fake core and a temp folder laid out like the renderer build, with a secret file
 * next to (not inside) the static folder for the traversal tests.
 */
export async function startFixtureHost(options: { withIndex?: boolean; heartbeatMs?: number } = {}) {
  const base = await mkdtemp(path.join(tmpdir(), 'ohtw-host-'));
  const staticDir = path.join(base, 'renderer');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(base, 'secret.txt'), 'not for the browser');
  if (options.withIndex ?? true) {
    await writeFile(path.join(staticDir, 'index.html'), INDEX_HTML);
  }
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  await writeFile(path.join(staticDir, 'assets', 'app.css'), 'body{margin:0}');
  await writeFile(path.join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const core = createFakeCoreFace();
  const { logger, records } = createCapturingLogger();
  const host: BrowserHost = await startBrowserHost({
    dispatch: core.dispatch,
    subscribe: core.subscribe,
    releaseClient: core.releaseClient,
    staticDir,
    port: 0,
    logger,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  return {
    host,
    core,
    records,
    staticDir,
    async dispose() {
      await host.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}
