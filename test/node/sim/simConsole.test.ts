import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimFleet, type SimFleet } from '../../../electron/sim/SimServer';
import { setJournalFlood } from '../../../electron/sim/simJournalFollow';
import { consoleFixture, type ConsoleFixture } from '../../support/console/consoleFixture';
import { followLogs } from '../../support/console/logProbe';
import { openTerminal } from '../../support/console/terminalProbe';

type SimConsole = { sim: SimFleet; fx: ConsoleFixture; close(): Promise<void> };

/** One simulated unit and the console fixture (a core that trusts it) over its SSH, in a temporary folder. */
async function startSimConsole(tempPrefix: string): Promise<SimConsole> {
  const dir = await mkdtemp(join(tmpdir(), tempPrefix));
  const sim = await startSimFleet({ count: 1, stateDir: join(dir, 'sim') });
  const unit = sim.units[0]!;
  const fx = await consoleFixture(
    {
      host: unit.host,
      port: unit.port,
      user: unit.user,
      clientKeyPath: unit.clientKeyPath,
      hostKeyFingerprint: unit.hostKeyFingerprint,
    },
    { unit: unit.name },
  );
  return {
    sim,
    fx,
    close: async () => {
      await fx.close();
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe("a simulated unit's terminal, live logs and files, through the core", () => {
  let started: SimConsole | undefined;
  let fx: ConsoleFixture;

  beforeAll(async () => {
    started = await startSimConsole('ohtw-sim-console-');
    fx = started.fx;
  });
  afterAll(async () => {
    await started?.close();
  });

  it('gives an interactive shell that answers as the vehicle does, recorded', async () => {
    const terminal = await openTerminal(fx.api(), fx.unit);
    await terminal.waitFor(/oht@sim-01:~\$ $/);
    await terminal.type('systemctl is-active oht50-firmware\r');
    await terminal.waitFor(/\r\nactive\r\n/);
    await terminal.type('ech');
    await terminal.type('\u007f');
    await terminal.type('ho ok\r');
    await terminal.waitFor(/\r\nok\r\n/);
    await terminal.type('exit\r');
    expect((await terminal.ended).exitCode).toBe(0);
    const { cast, intact } = await fx.api().call('terminal.recording', { sessionId: terminal.opened.sessionId });
    expect(intact).toBe(true);
    expect(cast).toContain('systemctl is-active oht50-firmware');
  });

  it('follows the journal: the services talk while followed, and a flood arrives in full when the reader keeps up', async () => {
    const vehicle = started!.sim.units[0]!.vehicle;
    const logs = await followLogs(fx.api(), { unit: fx.unit, services: ['oht50-firmware'], backlog: 5 });
    await logs.waitFor((lines) => lines.some((l) => l.message.includes('RS485 poll cycle')), 'the firmware talking');
    setJournalFlood(vehicle, { linesPerSecond: 20_000, total: 3_000 });
    try {
      await logs.waitFor(
        (lines) => lines.filter((l) => l.message.includes('RS485 frame')).length === 3_000,
        'the whole flood',
      );
      expect(logs.dropped()).toBe(0);
      expect(logs.lines.filter((l) => l.message.includes('RS485 frame 2999:'))).toHaveLength(1);
    } finally {
      setJournalFlood(vehicle, null);
      await logs.follower.close();
    }
  });

  it('browses, reads and edits its files over SFTP, keeping the old file in the store', async () => {
    const vehicle = started!.sim.units[0]!.vehicle;
    const { roots } = await fx.api().call('files.roots', { unit: fx.unit });
    expect(roots).toContain('/opt/oht50');
    const listed = await fx.api().call('files.list', { unit: fx.unit, path: '/opt/oht50' });
    expect(listed.via).toBe('sftp');
    expect(listed.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['VERSION', 'config']));
    const path = '/opt/oht50/config/system.yaml';
    const read = await fx.api().call('files.read', { unit: fx.unit, path });
    const text = `${read.text!}# checked by the technician\n`;
    const applied = await fx.api().call('files.applyEdit', {
      unit: fx.unit,
      path,
      text,
      baseSha256: read.sha256,
      confirm: true,
    });
    expect(vehicle.state.files[path]).toBe(text);
    const compared = await fx.api().call('files.compare', { unit: fx.unit, path, backupId: applied.backupId });
    expect(compared.diff).toMatchObject({ added: 1, removed: 0 });
  });
});

describe('terminal sessions and log views are evidence of the procedure run active on the unit', () => {
  let started: SimConsole | undefined;
  let fx: ConsoleFixture;

  beforeAll(async () => {
    started = await startSimConsole('ohtw-sim-evidence-');
    fx = started.fx;
  });
  afterAll(async () => {
    await started?.close();
  });

  it('attaches a session and a saved view to the running run, and lists them by the run', async () => {
    const api = fx.api();
    const before = await openTerminal(api, fx.unit);
    expect(before.opened.runId).toBeNull();
    await before.follower.close();

    const run = await api.call('procedures.start', { procedureId: 'emergency.estop', units: [fx.unit] });
    expect(run.state).toBe('running');
    const terminal = await openTerminal(api, fx.unit);
    expect(terminal.opened.runId).toBe(run.runId);
    await terminal.waitFor(/\$ $/);
    await terminal.type('exit\r');
    await terminal.ended;
    const read = await api.call('logs.read', { unit: fx.unit, limit: 3 });
    const view = await api.call('logs.saveView', { unit: fx.unit, lines: read.lines, filter: { text: '' } });
    expect(view.runId).toBe(run.runId);

    const sessions = await api.call('terminal.sessions', { runId: run.runId });
    expect(sessions.map((s) => s.id)).toEqual([terminal.opened.sessionId]);
    expect((await api.call('logs.views', { runId: run.runId })).map((v) => v.id)).toEqual([view.id]);
    const logbook = await api.call('logbook.list', { filter: { kinds: ['terminal'] } });
    expect(logbook.entries[0]).toMatchObject({ kind: 'terminal', ref: run.runId, unit: fx.unit });
  });
});
