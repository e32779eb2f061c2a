import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseCast } from '../../../shared/domain/asciicast';
import { HISTORY_FILE } from '../../../electron/core/createCore';
import { startCutProxy, type CutProxy } from '../backup-sshd/cutProxy';
import { consoleFixture, type ConsoleFixture } from '../../support/console/consoleFixture';
import { openTerminal, type TerminalProbe } from '../../support/console/terminalProbe';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

/** Until `check` holds, polling; fails with `what` after the time limit. */
async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The shell's process id on the vehicle (the test sshd runs on this machine, so /proc shows it). */
async function shellPid(terminal: TerminalProbe): Promise<number> {
  await terminal.type('echo "shell-pid=<$$>"\r');
  const text = await terminal.waitFor(/shell-pid=<(\d+)>/);
  return Number(/shell-pid=<(\d+)>/.exec(text)?.[1]);
}

const outputOf = (cast: string): string =>
  parseCast(cast)
    .events.filter(([, code]) => code === 'o')
    .map(([, , data]) => data)
    .join('');

describe('terminal sessions against a real sshd', () => {
  let sshd: SshdFixture;
  let fx: ConsoleFixture;

  beforeAll(async () => {
    sshd = await startSshd();
    fx = await consoleFixture(sshd);
  });
  afterAll(async () => {
    await fx?.close();
    await sshd?.stop();
  });

  it('runs what is typed through the contract, records it, and enters the recording in the audit chain', async () => {
    const api = fx.api();
    const terminal = await openTerminal(api, fx.unit);
    await terminal.waitFor(/\$ $/m);
    await terminal.type('echo "answer-$((6 * 7))"; tput cols\r');
    await terminal.waitFor(/answer-42\r\n100\r\n/);
    await api.call('terminal.resize', { streamId: terminal.opened.streamId, cols: 120, rows: 40 });
    await terminal.type('tput cols\r');
    await terminal.waitFor(/[^0-9]120\r\n/);
    await terminal.type('exit 3\r');
    const ended = await terminal.ended;
    expect(ended).toMatchObject({ kind: 'terminal', unit: fx.unit, exitCode: 3 });

    const { session, cast, intact } = await api.call('terminal.recording', { sessionId: terminal.opened.sessionId });
    expect(intact).toBe(true);
    expect(session).toMatchObject({ unit: fx.unit, actor: 'tech-a', interactive: true, exitCode: 3, runId: null });
    // The recording replays exactly what the screen was sent, in order, with the resize and the typed commands.
    const recorded = parseCast(cast);
    expect(recorded.header).toMatchObject({ version: 2, width: 100, height: 30 });
    expect(outputOf(cast)).toBe(terminal.text());
    expect(recorded.events).toContainEqual([expect.any(Number), 'r', '120x40']);
    expect(
      recorded.events
        .filter(([, code]) => code === 'i')
        .map(([, , data]) => data)
        .join(''),
    ).toContain('echo "answer-$((6 * 7))"; tput cols\r');
    const times = recorded.events.map(([t]) => t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const audit = await api.call('audit.verify', {});
    expect(audit).toMatchObject({ ok: true, recordingsChecked: 1 });
    const db = new BetterSqlite3(join(fx.dataDir, HISTORY_FILE), { readonly: true });
    try {
      const row = db
        .prepare<[], { actor: string; unit: string; details_json: string }>(
          "SELECT actor, unit, details_json FROM audit_log WHERE action = 'terminal.session'",
        )
        .get();
      expect(row).toMatchObject({ actor: 'tech-a', unit: fx.unit });
      const details = JSON.parse(row?.details_json ?? '{}') as Record<string, unknown>;
      expect(details).toMatchObject({ sessionId: session.id, sha256: session.sha256, exitCode: 3 });
      expect(details.durationMs).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('leaves out what was typed at a prompt that does not echo it', async () => {
    const api = fx.api();
    const terminal = await openTerminal(api, fx.unit);
    await terminal.waitFor(/\$ $/m);
    // A line that cannot be taken for a prompt however its echo is cut into pieces (a line holding "Password: "
    // can: a piece ending there reads as the vehicle asking for one, and what was typed is then left out).
    // Its output is computed, so seeing it means the command ran, not merely that its echo came back.
    await terminal.type('echo echoed-$((6 * 7))\r');
    await terminal.waitFor('echoed-42');
    await terminal.type('read -r -s -p \'Password: \' secret; echo; echo "length ${#secret}"\r');
    await terminal.waitFor('Password: ');
    for (const key of 'Sup3r-Secret-42') {
      await terminal.type(key);
    }
    await terminal.type('\r');
    await terminal.waitFor('length 15');
    // No password word on the prompt: only the missing echo tells.
    await terminal.type('stty -echo; read -r code; stty echo; echo "code ${#code}"\r');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await terminal.type('quiet-code-77\r');
    await terminal.waitFor('code 13');
    await terminal.type('exit\r');
    await terminal.ended;

    const { cast } = await api.call('terminal.recording', { sessionId: terminal.opened.sessionId });
    expect(cast).not.toContain('Sup3r');
    expect(cast).not.toContain('quiet-code');
    expect(terminal.text()).not.toContain('Sup3r');
    const events = parseCast(cast).events;
    expect(events).toContainEqual([expect.any(Number), 'm', expect.stringContaining('password prompt')]);
    expect(events).toContainEqual([expect.any(Number), 'm', expect.stringContaining('not echoed')]);
    // What the vehicle did echo is still there.
    expect(
      events
        .filter(([, code]) => code === 'i')
        .map(([, , data]) => data)
        .join(''),
    ).toContain('echo echoed-$((6 * 7))');
  });

  it('catches an edited recording in the audit verification', async () => {
    const api = fx.api();
    const terminal = await openTerminal(api, fx.unit);
    await terminal.waitFor(/\$ $/m);
    await terminal.type('echo "rm -rf was never typed"\r');
    await terminal.waitFor('never typed\r\n');
    await terminal.type('exit\r');
    await terminal.ended;
    expect(await api.call('audit.verify', {})).toMatchObject({ ok: true });

    const { cast } = await api.call('terminal.recording', { sessionId: terminal.opened.sessionId });
    const db = new BetterSqlite3(join(fx.dataDir, HISTORY_FILE));
    try {
      const edited = cast.replace('was never typed', 'was typed by someone else');
      db.prepare('UPDATE terminal_sessions SET cast_gzip = ? WHERE id = ?').run(
        gzipSync(Buffer.from(edited)),
        terminal.opened.sessionId,
      );
    } finally {
      db.close();
    }
    const verified = await api.call('audit.verify', {});
    expect(verified.ok).toBe(false);
    expect(verified.firstBroken?.reason).toContain(terminal.opened.sessionId);
    expect(verified.firstBroken?.reason).toContain('no longer matches');
    const shown = await api.call('terminal.recording', { sessionId: terminal.opened.sessionId });
    expect(shown.intact).toBe(false);
  });
});

describe('a terminal ends on the vehicle with whatever ends it on the workstation', () => {
  let sshd: SshdFixture;
  let proxy: CutProxy;
  let fx: ConsoleFixture;
  let cut: ConsoleFixture;

  beforeAll(async () => {
    sshd = await startSshd();
    proxy = await startCutProxy(sshd.port);
    fx = await consoleFixture(sshd, { streamLeaseMs: 1500 });
    cut = await consoleFixture(sshd, { unit: 'unit-relayed', port: proxy.port });
  });
  afterAll(async () => {
    await cut?.close();
    await fx?.close();
    await proxy?.close();
    await sshd?.stop();
  });

  it('closing the tab ends the shell process', async () => {
    const terminal = await openTerminal(fx.api(), fx.unit);
    const pid = await shellPid(terminal);
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    await terminal.follower.close();
    await eventually(() => !existsSync(`/proc/${pid}`), `shell ${pid} is gone`);
    const sessions = await fx.api().call('terminal.sessions', { unit: fx.unit });
    expect(sessions[0]).toMatchObject({ id: terminal.opened.sessionId, endReason: 'closed by the technician' });
  });

  it("a page's closed event socket ends the shells it opened, and only those", async () => {
    const mine = await openTerminal(fx.api('page-aaaa-1111'), fx.unit);
    const other = await openTerminal(fx.api('page-bbbb-2222'), fx.unit);
    const [minePid, otherPid] = [await shellPid(mine), await shellPid(other)];
    // Another page cannot type into this one's shell.
    await expect(
      fx.api('page-bbbb-2222').call('terminal.input', { streamId: mine.opened.streamId, data: 'id\r' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await fx.core.releaseClient('page-aaaa-1111');
    await eventually(() => !existsSync(`/proc/${minePid}`), `shell ${minePid} is gone`);
    expect(existsSync(`/proc/${otherPid}`)).toBe(true);
    await other.follower.close();
    await eventually(() => !existsSync(`/proc/${otherPid}`), `shell ${otherPid} is gone`);
  });

  it('a window that stops acknowledging loses its shell when the lease runs out', async () => {
    const terminal = await openTerminal(fx.api(), fx.unit, { ack: false });
    const pid = await shellPid(terminal);
    const ended = await terminal.ended;
    expect(ended.reason).toContain('nobody acknowledged it');
    await eventually(() => !existsSync(`/proc/${pid}`), `shell ${pid} is gone`);
  });

  it('a dropped link ends the session: the recording is kept and no shell is left', async () => {
    const terminal = await openTerminal(cut.api(), cut.unit);
    const pid = await shellPid(terminal);
    proxy.cutAfter(0);
    await terminal.type('echo after-the-cut\r');
    const ended = await terminal.ended;
    proxy.cutAfter(null);
    expect(ended.exitCode).toBeNull();
    await eventually(() => !existsSync(`/proc/${pid}`), `shell ${pid} is gone`);
    const { intact, session } = await cut.api().call('terminal.recording', { sessionId: terminal.opened.sessionId });
    expect(intact).toBe(true);
    expect(session.endReason).toBe('the connection to the unit closed');
  });
});
