import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { worstLevel } from '../../../shared/domain/health';
import { rendererBuilt } from '../../core/paths/appLayout';
import { resolveDataDir } from '../../core/paths/dataDir';
import { createStderrLogger } from '../../core/ports/Logger';
import { startSimFleet, type SimFleet } from '../../sim/SimServer';
import { startBrowserHost } from '../../host/BrowserHost';
import { browserFaceOf } from '../../host/coreFace';
import { boolOption, intOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import { formatReport } from '../format';
import type { CliIo } from '../io';
import { openCore, type CliSession } from '../openCore';

export const DEMO_USAGE =
  'ohtw demo [--port N] [--no-serve] [--team postgres://USER@HOST:PORT/DB]   (simulated units in a demo data folder, diagnosed,\n    then the UI served; --team: joined to that team server and synced, the password in $OHTW_TEAM_PASSWORD)';

const DEMO_UNITS = 3;

/**
 * The main job on embedded defaults: no vehicle at hand, so the built-in simulated units stand in, one of them
 * with a crashed firmware service so every screen has something to show. Everything lands in a separate demo
 * data folder so that a technician's real history is never mixed with simulated units.
 */
export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {
    port: { type: 'string' },
    'no-serve': { type: 'boolean' },
    team: { type: 'string' },
  });
  if (parsed.positionals.length > 0) {
    throw new UsageError(`demo takes no arguments: ${parsed.positionals.join(' ')}`);
  }
  const port = intOption(parsed, 'port', 0, 65535) ?? 8765;
  const dataDir = stringOption(parsed, 'data-dir') ?? join(resolveDataDir(undefined, io.env), 'demo');
  const logger = createStderrLogger();
  const session = await openCore(await withDemoPassphrase(io, dataDir), dataDir, logger);
  let fleet: SimFleet | undefined;
  try {
    fleet = await startFleet(session, join(dataDir, 'sim'));
    fleet.units[1]?.vehicle.crashService('firmware');
    await registerFleet(session, fleet);

    io.out(`Demo data folder: ${session.dataDir}`);
    io.out(`${fleet.units.length} simulated units are running on 127.0.0.1.\n`);
    const reports = await session.api.call('diagnostics.run', { names: fleet.units.map((u) => u.name) });
    io.out(reports.map((report) => formatReport(report)).join('\n\n'));
    io.out(
      `\nFleet: ${worstLevel(reports.map((r) => r.level))} (${reports.map((r) => `${r.unit} ${r.level}`).join(', ')})`,
    );

    await demoBackups(session, io, fleet);
    await demoBus(session, io);
    await demoTeam(session, io, stringOption(parsed, 'team'));

    if (boolOption(parsed, 'no-serve')) {
      return 0;
    }
    const serveOn = (p: number): ReturnType<typeof startBrowserHost> =>
      startBrowserHost({
        ...browserFaceOf(session.core),
        staticDir: io.layout.rendererDir,
        port: p,
        logger,
      });
    // The usual port may be taken (a second demo, another tool): without an explicit --port, any free one will do.
    const host = await serveOn(port).catch((error: unknown) => {
      if (stringOption(parsed, 'port') === undefined && String(error).includes('EADDRINUSE')) {
        return serveOn(0);
      }
      throw error;
    });
    if (!rendererBuilt(io.layout)) {
      io.err('ohtw: the UI is not built yet; run: npm run build:renderer');
    }
    io.out(`\nOpen the workstation UI: ${host.url}`);
    io.out(
      'Open sim-02 to see a failed firmware service with its evidence and runbook section, Backups to back up, ' +
        'verify and restore the simulated units, RS485 bus for the simulated module bus, Procedures to run the ' +
        'runbook step by step; Ctrl-C stops the demo.',
    );
    await io.waitForStop();
    await host.close();
    return 0;
  } finally {
    await fleet?.close();
    await session.core.close();
  }
}

/** The demo laptop in a team: joined to the server scripts/demo.sh started, and its history pushed there. */
async function demoTeam(session: CliSession, io: CliIo, url: string | undefined): Promise<void> {
  if (url === undefined) {
    return;
  }
  const status = await session.api.call('team.join', { url, deviceLabel: 'demo-laptop' });
  const { result } = await session.api.call('team.sync', { wait: true });
  io.out(
    `\nTeam server: ${status.url ?? url} (joined as ${status.deviceLabel ?? 'demo-laptop'}); ` +
      (result?.ok
        ? `synced: ${Object.values(result.pushed).reduce((a, b) => a + b, 0)} row(s) pushed`
        : `the sync stopped: ${result?.error ?? 'unknown'}`),
  );
}

/**
 * The module bus as a technician with a USB-RS485 adapter meets it: the four simulated modules on a
 * pseudo-terminal pair, the safety module reporting E-Stop pressed, connected and diagnosed offline. The bus
 * page shows it, already connected. A machine without socat skips it with one line instead of failing the demo.
 */
async function demoBus(session: CliSession, io: CliIo): Promise<void> {
  try {
    const { sim, bus } = await session.api.call('rs485.sim.start', {
      faults: { estopPressed: true },
      connect: true,
    });
    if (!bus) {
      return;
    }
    const report = await session.api.call('rs485.diagnose', { busId: bus.busId });
    io.out(`\nSimulated RS485 bus on ${sim.port}:`);
    io.out(formatReport(report));
  } catch (error) {
    io.err(`ohtw: the simulated RS485 bus did not start (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * The backup store keeps each unit's backend .env encrypted, so it needs a passphrase: unless one is set already
 * (OHTW_PASSPHRASE or OHTW_PASSPHRASE_FILE), the demo makes one of its own in its data folder, kept for the next run.
 */
async function withDemoPassphrase(io: CliIo, dataDir: string): Promise<CliIo> {
  if ((io.env.OHTW_PASSPHRASE ?? '') !== '' || (io.env.OHTW_PASSPHRASE_FILE ?? '') !== '') {
    return io;
  }
  const file = join(dataDir, 'demo-passphrase');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${randomBytes(24).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 }).catch(
    (error: unknown) => {
      if ((error as { code?: string }).code !== 'EEXIST') {
        throw error;
      }
    },
  );
  return { ...io, env: { ...io.env, OHTW_PASSPHRASE_FILE: file } };
}

/**
 * Every simulated unit is backed up at start (an unchanged one again takes a fraction of a second), so the Backups
 * page and the restore wizard have something to show and restore.
 */
async function demoBackups(session: CliSession, io: CliIo, fleet: SimFleet): Promise<void> {
  const run = await session.api.call('backup.run', { names: fleet.units.map((u) => u.name) });
  io.out('\nBackups:');
  for (const result of run.results) {
    io.out(
      result.status === 'failed'
        ? `  ${result.unit}: FAILED: ${result.error?.message ?? ''}`
        : `  ${result.unit}: ${result.status === 'partial' ? 'partial backup' : 'backed up'}, ${result.files} files as ${result.backupId ?? '?'}`,
    );
  }
}

/** Reuses the ports the demo units were registered with, so a second demo run finds them where it left them. */
async function startFleet(session: CliSession, stateDir: string): Promise<SimFleet> {
  const registered = new Map((await session.api.call('units.list', {})).map((u) => [u.name, u.port]));
  const names = Array.from({ length: DEMO_UNITS }, (_, i) => `sim-${String(i + 1).padStart(2, '0')}`);
  const ports = names.map((name) => registered.get(name) ?? 0);
  const variants: ('runbook' | 'newer')[] = ['runbook', 'runbook', 'newer'];
  try {
    return await startSimFleet({ count: DEMO_UNITS, stateDir, ports, variants });
  } catch {
    // A remembered port is taken by something else: take free ones and re-register below.
    return startSimFleet({ count: DEMO_UNITS, stateDir, variants });
  }
}

async function registerFleet(session: CliSession, fleet: SimFleet): Promise<void> {
  const existing = new Map((await session.api.call('units.list', {})).map((u) => [u.name, u]));
  for (const sim of fleet.units) {
    const unit = existing.get(sim.name);
    if (unit && (unit.port !== sim.port || unit.auth.kind !== 'key' || unit.auth.keyPath !== sim.clientKeyPath)) {
      await session.api.call('units.remove', { name: sim.name });
    }
    if (!unit || unit.port !== sim.port || unit.auth.kind !== 'key' || unit.auth.keyPath !== sim.clientKeyPath) {
      await session.api.call('units.add', {
        name: sim.name,
        host: sim.host,
        port: sim.port,
        user: sim.user,
        auth: { kind: 'key', keyPath: sim.clientKeyPath },
      });
    }
    // The simulator generated these keys itself, so the demo can pin exactly the fingerprint it knows.
    await session.api.call('units.trust', { name: sim.name, fingerprint: sim.hostKeyFingerprint });
  }
}
