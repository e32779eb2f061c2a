import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HISTORY_FILE } from '../../../electron/core/createCore';
import { consoleFixture, type ConsoleFixture } from '../../support/console/consoleFixture';
import { followLogs } from '../../support/console/logProbe';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

/** Processes on this machine (the test sshd's vehicle) whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
      continue;
    }
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(text)) {
        found.push(Number(entry));
      }
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('live logs against a real sshd', () => {
  let sshd: SshdFixture;
  let fx: ConsoleFixture;

  beforeAll(async () => {
    sshd = await startSshd();
    fx = await consoleFixture(sshd);
    await sshd.appendJournal('oht50-backend', [
      { message: 'INFO:     Application startup complete.', atMs: Date.now() - 60_000 },
    ]);
    await sshd.appendJournal('oht50-firmware', [
      {
        message: '[WARN] RS485 module 0x03 slow to answer',
        priority: 4,
        identifier: 'oht50_main',
        atMs: Date.now() - 30_000,
      },
    ]);
  });
  afterAll(async () => {
    await fx?.close();
    await sshd?.stop();
  });

  it("follows the vehicle's services: the last lines, then each new one, and ends journalctl when closed", async () => {
    const logs = await followLogs(fx.api(), { unit: fx.unit, backlog: 50 });
    expect(logs.opened.services).toEqual(['oht50-backend', 'oht50-firmware']);
    await logs.waitFor((lines) => lines.length >= 2, 'the backlog');
    expect(logs.lines.map((l) => [l.unit, l.message])).toEqual([
      ['oht50-backend.service', 'INFO:     Application startup complete.'],
      ['oht50-firmware.service', '[WARN] RS485 module 0x03 slow to answer'],
    ]);
    await sshd.appendJournal('oht50-firmware', [
      { message: '[ERROR] E-Stop loop timeout', priority: 3, identifier: 'oht50_main', pid: 901 },
    ]);
    await logs.waitFor((lines) => lines.some((l) => l.message.includes('E-Stop loop timeout')), 'the new line');
    expect(logs.lines.at(-1)).toMatchObject({ priority: 3, identifier: 'oht50_main', pid: 901 });

    const journalDir = join(sshd.vehicleDir, 'journal');
    expect(processesMentioning(journalDir).length).toBeGreaterThan(0);
    await logs.follower.close();
    await eventually(() => processesMentioning(journalDir).length === 0, 'no journalctl is left on the vehicle');
  });

  it('filters by priority at the source and reads a past window of the journal', async () => {
    const warnings = await followLogs(fx.api(), { unit: fx.unit, priority: 'warning', backlog: 50 });
    await sshd.appendJournal('oht50-backend', [
      { message: 'INFO: polled', priority: 6 },
      { message: 'disk nearly full', priority: 4 },
    ]);
    await warnings.waitFor((lines) => lines.some((l) => l.message === 'disk nearly full'), 'the warning');
    expect(warnings.lines.every((l) => l.priority <= 4)).toBe(true);
    await warnings.follower.close();

    const now = Date.now();
    await sshd.appendJournal('oht50-backend', [
      { message: 'long before', atMs: now - 3_600_000 },
      { message: 'around the failure', atMs: now - 600_000, priority: 3 },
    ]);
    const window = await fx.api().call('logs.read', {
      unit: fx.unit,
      since: new Date(now - 900_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      until: new Date(now - 300_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(window.lines.map((l) => l.message)).toEqual(['around the failure']);
  });

  it('keeps the newest lines for a consumer that fell behind, and counts every line it left out', async () => {
    const logs = await followLogs(fx.api(), { unit: fx.unit, services: ['chatty'], backlog: 0 }, { ack: false });
    const total = 60_000;
    await sshd.appendJournal(
      'chatty',
      Array.from({ length: total }, (_, i) => ({ message: `line ${i}`, identifier: 'chatty' })),
    );
    await logs.waitFor((lines) => lines.length > 0, 'the first batch');
    // Behind: nothing more comes until the consumer acknowledges, whatever the vehicle sends.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(logs.lines.length).toBeLessThanOrEqual(5_000);
    for (let i = 0; i < 40 && logs.lines.length + logs.dropped() < total; i += 1) {
      logs.ackAll();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await logs.waitFor(() => logs.lines.length + logs.dropped() === total, 'every line received or counted');
    expect(logs.lines.at(-1)?.message).toBe(`line ${total - 1}`);
    // What arrived is in order, with the gap where lines were left out.
    const numbers = logs.lines.map((l) => Number(l.message.slice(5)));
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    await logs.follower.close();
  });

  it('keeps a view as evidence, and the audit verification catches it edited', async () => {
    const read = await fx.api().call('logs.read', { unit: fx.unit, limit: 5 });
    const view = await fx.api().call('logs.saveView', {
      unit: fx.unit,
      lines: read.lines,
      filter: { services: ['oht50-backend', 'oht50-firmware'], priority: 'debug', text: '' },
    });
    expect(view).toMatchObject({ unit: fx.unit, actor: 'tech-a', lines: read.lines.length, runId: null });
    expect(await fx.api().call('logs.view', { id: view.id })).toMatchObject({ intact: true });
    expect(await fx.api().call('audit.verify', {})).toMatchObject({ ok: true });

    const db = new BetterSqlite3(join(fx.dataDir, HISTORY_FILE));
    try {
      db.prepare("UPDATE log_views SET content = replace(content, 'E-Stop', 'all fine') WHERE id = ?").run(view.id);
    } finally {
      db.close();
    }
    const verified = await fx.api().call('audit.verify', {});
    expect(verified.ok).toBe(false);
    expect(verified.firstBroken?.reason).toContain(view.id);
    expect(await fx.api().call('logs.view', { id: view.id })).toMatchObject({ intact: false });
  });
});
