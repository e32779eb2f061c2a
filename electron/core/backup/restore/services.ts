import { AppError } from '../../../../shared/errors/AppError';
import { shellQuote } from '../../transport/transport';
import type { RemoteShell } from './remoteShell';

const UNIT = /^[A-Za-z0-9@._:-]+$/;

function units(names: readonly string[]): string {
  for (const name of names) {
    if (!UNIT.test(name) || name.startsWith('-')) {
      throw new AppError('VALIDATION', `not a systemd unit name: ${JSON.stringify(name)}`);
    }
  }
  return names.map(shellQuote).join(' ');
}

/** What `systemctl is-active` says of each unit (active, inactive, failed, activating…; unknown when it says nothing). */
export async function activeStates(shell: RemoteShell, names: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (names.length === 0) {
    return out;
  }
  // One unit per call: is-active prints one line per unit, but a not-found unit must not shift the others.
  const script = names
    .map((n) => `printf '%s\\t%s\\n' ${shellQuote(n)} "$(systemctl is-active -- ${units([n])})"`)
    .join('\n');
  const result = await shell.run(script, { sudo: false, timeoutMs: 30_000 });
  for (const line of result.stdout.toString('utf8').split('\n')) {
    const [name, state] = line.split('\t');
    if (name !== undefined && name !== '' && state !== undefined) {
      out.set(name, state.trim() === '' ? 'unknown' : state.trim());
    }
  }
  return out;
}

async function systemctl(shell: RemoteShell, verb: string, names: readonly string[]): Promise<void> {
  const result = await shell.run(`systemctl ${verb} -- ${units(names)}`, { sudo: true, timeoutMs: 120_000 });
  if (result.exitCode !== 0) {
    const why = result.stderr.trim().split('\n').slice(-2).join('; ') || `exit ${String(result.exitCode)}`;
    throw new AppError('COMMAND_FAILED', `systemctl ${verb} ${names.join(' ')} failed: ${why}`, {
      details: { verb, units: [...names], exitCode: result.exitCode },
    });
  }
}

export async function stopServices(shell: RemoteShell, names: readonly string[]): Promise<void> {
  // In reverse: the firmware before what it depends on, as a shutdown would.
  for (const name of [...names].reverse()) {
    await systemctl(shell, 'stop', [name]);
  }
}

export async function startServices(shell: RemoteShell, names: readonly string[], reload: boolean): Promise<void> {
  if (reload) {
    const result = await shell.run('systemctl daemon-reload', { sudo: true, timeoutMs: 120_000 });
    if (result.exitCode !== 0) {
      throw new AppError('COMMAND_FAILED', `systemctl daemon-reload failed: ${result.stderr.trim().slice(0, 200)}`);
    }
  }
  for (const name of names) {
    await systemctl(shell, 'start', [name]);
  }
}

/** The services a restore touches: those the unit has, which of them run now, which to start after the apply. */
export type AffectedServices = { names: string[]; wasRunning: string[]; toStart: string[] };

/** Of the services a plan names, those the unit has; which of them run now; which to start after the apply. */
export async function loadedServices(shell: RemoteShell, names: readonly string[]): Promise<AffectedServices> {
  const states = await activeStates(shell, names);
  const loaded: string[] = [];
  const wasRunning: string[] = [];
  const toStart: string[] = [];
  for (const name of names) {
    const result = await shell.run(
      `systemctl show -p LoadState -p UnitFileState -- ${name.replace(/[^A-Za-z0-9@._:-]/g, '')}`,
      {
        sudo: false,
        timeoutMs: 30_000,
      },
    );
    const props = new Map(
      result.stdout
        .toString('utf8')
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    if (props.get('LoadState') !== 'loaded') {
      continue;
    }
    loaded.push(name);
    const state = states.get(name) ?? 'unknown';
    const running = state === 'active' || state === 'activating' || state === 'reloading';
    if (running) {
      wasRunning.push(name);
    }
    // A service the technician left stopped (and not enabled at boot) stays stopped; a crashed one is started.
    if (running || state === 'failed' || props.get('UnitFileState') === 'enabled') {
      toStart.push(name);
    }
  }
  return { names: loaded, wasRunning, toStart };
}
