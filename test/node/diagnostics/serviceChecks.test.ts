import { describe, expect, it } from 'vitest';

import { DEFAULT_VEHICLE_PROFILE } from '../../../shared/domain/unit';
import { detectProfile } from '../../../electron/core/diagnostics/profileDetection';
import { judgeService } from '../../../electron/core/diagnostics/serviceChecks';
import { parseSystemctlShow, systemctlShowCommand } from '../../../electron/core/diagnostics/systemdShow';

const CMD = 'systemctl show …';

describe('systemctl show parsing', () => {
  it('splits blocks per unit in the order asked', () => {
    const out = 'LoadState=loaded\nActiveState=active\n\nLoadState=not-found\nActiveState=inactive\n';
    expect(parseSystemctlShow(out)).toEqual([
      { LoadState: 'loaded', ActiveState: 'active' },
      { LoadState: 'not-found', ActiveState: 'inactive' },
    ]);
  });

  it('keeps values that contain "=" and ignores garbage lines', () => {
    expect(parseSystemctlShow('garbage\nResult=a=b\n')).toEqual([{ Result: 'a=b' }]);
  });

  it('names units with the .service suffix and asks only for the properties it judges', () => {
    expect(systemctlShowCommand(['oht50-backend', 'oht50.service'])).toMatch(
      /^systemctl show --property=LoadState,ActiveState,.* -- oht50-backend\.service oht50\.service$/,
    );
  });
});

describe('judging a service', () => {
  const running = {
    LoadState: 'loaded',
    ActiveState: 'active',
    SubState: 'running',
    NRestarts: '0',
    UnitFileState: 'enabled',
  };

  it('is OK when running and enabled', () => {
    const check = judgeService('services.backend', 'oht50-backend', running, CMD);
    expect(check.level).toBe('OK');
    expect(check.evidence).toContain('ActiveState=active');
  });

  it('is ERROR with the runbook section when failed', () => {
    const check = judgeService(
      'services.firmware',
      'oht50-firmware',
      {
        LoadState: 'loaded',
        ActiveState: 'failed',
        SubState: 'failed',
        Result: 'exit-code',
        ExecMainStatus: '1',
        NRestarts: '5',
      },
      CMD,
    );
    expect(check).toMatchObject({ level: 'ERROR', runbook: expect.stringContaining('System Down') });
    expect(check.message).toContain('restarted 5 times');
  });

  it('is ERROR when stopped, crash-looping or not installed', () => {
    expect(judgeService('s', 'x', { LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead' }, CMD).level).toBe(
      'ERROR',
    );
    expect(
      judgeService('s', 'x', { LoadState: 'loaded', ActiveState: 'activating', SubState: 'auto-restart' }, CMD).level,
    ).toBe('ERROR');
    expect(judgeService('s', 'x', { LoadState: 'not-found', ActiveState: 'inactive' }, CMD).message).toContain(
      'not installed',
    );
  });

  it('warns when running but crashing often or disabled at boot', () => {
    expect(judgeService('s', 'x', { ...running, NRestarts: '4' }, CMD).level).toBe('WARN');
    expect(judgeService('s', 'x', { ...running, UnitFileState: 'disabled' }, CMD).level).toBe('WARN');
  });

  it('is STALE when the answer is missing or unreadable', () => {
    expect(judgeService('s', 'x', undefined, CMD).level).toBe('STALE');
    expect(judgeService('s', 'x', { LoadState: 'loaded', ActiveState: 'weird' }, CMD).level).toBe('STALE');
  });
});

describe('profile detection', () => {
  const loaded = { LoadState: 'loaded', ActiveState: 'active' };
  const missing = { LoadState: 'not-found', ActiveState: 'inactive' };

  it('switches to the newer names when only oht50.service exists', () => {
    const profile = detectProfile(DEFAULT_VEHICLE_PROFILE, { runbookFirmware: missing, newerFirmware: loaded });
    expect(profile).toMatchObject({ variant: 'newer', firmwareService: 'oht50', firmwarePort: 8080, detected: true });
  });

  it('keeps the runbook names when oht50-firmware exists', () => {
    const profile = detectProfile(DEFAULT_VEHICLE_PROFILE, { runbookFirmware: loaded, newerFirmware: missing });
    expect(profile).toMatchObject({ variant: 'runbook', firmwareService: 'oht50-firmware', firmwarePort: 8081 });
  });

  it('never changes a custom profile', () => {
    const custom = { ...DEFAULT_VEHICLE_PROFILE, variant: 'custom' as const, firmwareService: 'my-fw' };
    expect(detectProfile(custom, { runbookFirmware: missing, newerFirmware: loaded })).toBe(custom);
  });
});
