import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CheckResult, DiagnosisReport } from '../../../shared/domain/health';
import { createCore, type Core } from '../../../electron/core/createCore';
import { RUNBOOK } from '../../../electron/core/diagnostics/runbook';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

/** Stands in for df where a tmpfs cannot be mounted: `logsDir` is its own 4 MiB filesystem, as full as du says. */
function fakeDf(logsDir: string): string {
  return `#!/bin/sh
printf 'Filesystem     1024-blocks      Used Available Capacity Mounted on\\n'
status=0
for path in "$@"; do
  case $path in -*) continue ;; esac
  if [ "$path" = '${logsDir}' ]; then
    used=$(du -sk "$path" | cut -f1)
    printf 'tmpfs %s %s %s %s%% %s\\n' 4096 "$used" $((4096 - used)) $(((used * 100 + 4095) / 4096)) "$path"
  else
    /usr/bin/df -P -k "$path" | tail -n +2 || status=1
  fi
done
exit $status
`;
}

/**
 * The resource checks against a real OpenSSH sshd: the container's own /proc, df and du answer as a vehicle's
 * would. A nearly full log partition is a small tmpfs mounted on the unit's logs folder and filled up.
 */
describe('resource checks against a real sshd', () => {
  let sshd: SshdFixture;
  let dir: string;
  let core: Core;
  let installDir: string;
  let logsDir: string;
  let mounted = false;

  const diagnose = async (): Promise<DiagnosisReport> => {
    const result = await core.dispatch('diagnostics.run', { names: ['bench-r'] });
    expect(result.ok).toBe(true);
    return (result as { value: DiagnosisReport[] }).value[0]!;
  };
  const check = (report: DiagnosisReport, id: string): CheckResult | undefined =>
    report.checks.find((c) => c.id === id);
  const mountOf = (path: string): string =>
    (execFileSync('df', ['-P', '-k', path], { encoding: 'utf8' }).trim().split('\n')[1] ?? '')
      .split(/\s+/)
      .slice(5)
      .join(' ');

  beforeAll(async () => {
    sshd = await startSshd();
    dir = await mkdtemp(join(tmpdir(), 'ohtw-resources-'));
    installDir = join(sshd.vehicleDir, 'opt-oht50');
    logsDir = join(installDir, 'logs');
    await mkdir(logsDir, { recursive: true });
    await writeFile(join(logsDir, 'backend.log'), 'INFO started\n'.repeat(1000));
    core = await createCore({ dataDir: join(dir, 'data'), face: 'cli', logger: silentLogger, env: {} });
    const added = await core.dispatch('units.add', {
      name: 'bench-r',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      auth: { kind: 'key', keyPath: sshd.clientKeyPath },
      profile: { installDir },
    });
    expect(added).toMatchObject({ ok: true, value: { profile: { variant: 'custom', installDir } } });
    expect(await core.dispatch('units.trust', { name: 'bench-r', fingerprint: sshd.hostKeyFingerprint })).toMatchObject(
      {
        ok: true,
      },
    );
  });

  afterAll(async () => {
    if (mounted) {
      execFileSync('umount', [logsDir]);
    }
    await core?.close();
    await sshd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the CPU twice, memory, and the filesystem holding the install folder, with raw evidence', async () => {
    const report = await diagnose();
    const cpu = check(report, 'resources.cpu');
    expect(cpu?.level).not.toBe('STALE');
    expect(cpu?.message).toMatch(
      /^CPU \d+ % busy(: (above|at) the \d+ % (warning|critical level))?; load average [\d.]+ [\d.]+ [\d.]+$/,
    );
    expect(cpu?.evidence.match(/^cpu {2}\d+/gm)).toHaveLength(2);
    expect(check(report, 'resources.memory')?.message).toMatch(/^memory \d+ % used/);

    const disk = check(report, 'resources.disk');
    const mount = mountOf(installDir);
    expect(disk?.level).not.toBe('STALE');
    expect(disk?.children?.map((c) => c.id)).toEqual([`resources.disk.${mount}`, 'resources.disk.logsSize']);
    expect(disk?.children?.[0]?.message).toContain(`holds ${installDir} and ${logsDir}`);
    const logsKiB = execFileSync('du', ['-sk', logsDir], { encoding: 'utf8' }).split('\t')[0];
    expect(disk?.children?.[1]).toMatchObject({ level: 'OK', message: `${logsDir} holds ${logsKiB} KiB` });
    expect(disk?.evidence).toContain(`$ df -P -k ${installDir} ${logsDir}\nFilesystem`);
  });

  it('warns for a log partition above 80 % and is an error above 90 %, naming it and the runbook action', async () => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0755', 'tmpfs', logsDir], { stdio: 'pipe' });
      mounted = true;
    } catch {
      // A container without the right to mount: the vehicle's df then says the logs are on a 4 MiB tmpfs.
      await writeFile(join(sshd.vehicleDir, 'bin', 'df'), fakeDf(logsDir), { mode: 0o755 });
    }
    const fill = async (kib: number): Promise<void> => {
      await writeFile(join(logsDir, 'firmware.log'), Buffer.alloc(kib * 1024, 0x41));
      await chmod(join(logsDir, 'firmware.log'), 0o644);
    };

    await fill(3_400);
    let report = await diagnose();
    let disk = check(report, 'resources.disk');
    const logsChild = (): CheckResult | undefined => disk?.children?.find((c) => c.id === `resources.disk.${logsDir}`);
    expect(disk?.children?.map((c) => c.id)).toEqual([
      `resources.disk.${mountOf(installDir)}`,
      `resources.disk.${logsDir}`,
      'resources.disk.logsSize',
    ]);
    expect(logsChild()).toMatchObject({ level: 'WARN', runbook: RUNBOOK.highDisk });
    expect(logsChild()?.message).toMatch(new RegExp(`^disk 8\\d % on ${logsDir} \\(tmpfs\\): above the 80 % warning`));
    expect(disk).toMatchObject({ level: 'WARN', message: logsChild()?.message, runbook: RUNBOOK.highDisk });

    await fill(3_800);
    report = await diagnose();
    disk = check(report, 'resources.disk');
    expect(logsChild()).toMatchObject({ level: 'ERROR', runbook: RUNBOOK.highDisk });
    expect(logsChild()?.message).toMatch(
      new RegExp(`^disk 9\\d % on ${logsDir} \\(tmpfs\\): above the 90 % critical level`),
    );
    expect(disk?.level).toBe('ERROR');
    expect(disk?.children?.find((c) => c.id === 'resources.disk.logsSize')?.message).toBe(`${logsDir} holds 4 MiB`);
  }, 90_000);
});
