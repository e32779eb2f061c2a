import { startBrowserHost } from '../../host/BrowserHost';
import { browserFaceOf } from '../../host/coreFace';
import { rendererBuilt } from '../../core/paths/appLayout';
import { createStderrLogger } from '../../core/ports/Logger';
import { intOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const SERVE_USAGE = 'ohtw serve [--port N]   (127.0.0.1 only; --port 0 takes a free port)';

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { port: { type: 'string' } });
  if (parsed.positionals.length > 0) {
    throw new UsageError(`serve takes no arguments: ${parsed.positionals.join(' ')}`);
  }
  const port = intOption(parsed, 'port', 0, 65535) ?? 8765;
  const logger = createStderrLogger();
  const session = await openCore(io, stringOption(parsed, 'data-dir'), logger);
  try {
    const host = await startBrowserHost({
      ...browserFaceOf(session.core),
      staticDir: io.layout.rendererDir,
      port,
      logger,
    });
    if (!rendererBuilt(io.layout)) {
      io.err('ohtw: the UI is not built yet; run: npm run build:renderer (the API is served meanwhile)');
    }
    io.out(`OHT-50 Workstation is served at ${host.url}`);
    io.out(`Data folder: ${session.dataDir}. Press Ctrl-C to stop.`);
    await io.waitForStop();
    await host.close();
    return 0;
  } finally {
    await session.core.close();
  }
}
