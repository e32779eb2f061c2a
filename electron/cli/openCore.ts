import { existsSync } from 'node:fs';

import type { WorkstationApi } from '../../shared/ipc/api';
import { createWorkstationClient } from '../../shared/ipc/client';
import { createCore, type Core } from '../core/createCore';
import { resolveDataDir } from '../core/paths/dataDir';
import type { Logger } from '../core/ports/Logger';
import { chromiumPdfPrinter } from './chromiumPdfPrinter';
import type { CliIo } from './io';

export type CliSession = { core: Core; api: WorkstationApi; dataDir: string };

/** The CLI talks to the core through the same typed client as the renderer, so it exercises the same contract. */
export async function openCore(io: CliIo, dataDirFlag: string | undefined, logger?: Logger): Promise<CliSession> {
  const dataDir = resolveDataDir(dataDirFlag, io.env);
  // Reports print to PDF through headless Chromium when the machine has it (the browser host serves from here too).
  const chromium = io.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const core = await createCore({
    dataDir,
    face: 'cli',
    env: io.env,
    cwd: io.cwd,
    layout: io.layout,
    ...(logger ? { logger } : {}),
    ...(existsSync(chromium) ? { pdfPrinter: chromiumPdfPrinter(chromium) } : {}),
  });
  const api = createWorkstationClient({
    invoke: (name, input) => core.dispatch(name, input),
    subscribe: (handler) => core.events.subscribe(handler),
  });
  return { core, api, dataDir };
}
