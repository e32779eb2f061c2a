import { describe, expect, it } from 'vitest';

import { DEFAULT_VEHICLE_PROFILE } from '../../../shared/domain/unit';
import { readSample, telemetryProbes } from '../../../electron/core/telemetry/telemetryProbes';
import { sayIn, sayPartsIn } from '../../../shared/domain/words';
import type { ProbeOutput } from '../../../electron/core/transport/batch';
import { DF, MEMINFO, PROC_STAT } from './fakeVehicleConnector';

const profile = DEFAULT_VEHICLE_PROFILE;
const ok = (key: string, stdout: string, exitCode = 0): [string, ProbeOutput] => [
  key,
  { key, stdout, exitCode, truncated: false },
];
const backend = JSON.stringify({
  timestamp: '2025-01-06T10:00:00',
  motor_speed: 1500,
  motor_temperature: 45.5,
  dock_status: 'undocked',
  safety_status: 'normal',
});

describe('telemetry probes', () => {
  it('asks for the five parts with the profile’s port, directory and service, quoted', () => {
    const probes = telemetryProbes({
      ...profile,
      installDir: "/opt/o h't",
      firmwareService: 'oht50',
      backendPort: 8001,
    });
    expect(probes.map((p) => p.command)).toEqual([
      'cat /proc/stat',
      'cat /proc/meminfo',
      `df -P -k '/opt/o h'\\''t'`,
      'curl -s -m 2 http://127.0.0.1:8001/api/v1/telemetry/current',
      'systemctl is-active oht50',
    ]);
  });

  it('reads every metric, CPU from the difference with the previous sample', () => {
    const outputs = new Map([
      ok('tm.stat', PROC_STAT(1_100, 9_300)),
      ok('tm.meminfo', MEMINFO),
      ok('tm.disk', DF),
      ok('tm.backend', backend),
      ok('tm.firmware', 'active'),
    ]);
    const first = readSample(profile, outputs, null);
    expect(first.metrics['cpu.percent']).toBeUndefined();
    expect(first.problems).toEqual([]);
    const second = readSample(profile, new Map([...outputs, ok('tm.stat', PROC_STAT(1_130, 9_370))]), first.cpu);
    expect(second.metrics).toEqual({
      'cpu.percent': 30,
      'memory.percent': 25,
      'disk.percent': 30,
      'backend.motor_speed': 1500,
      'backend.motor_temperature': 45.5,
      'firmware.up': 1,
    });
  });

  it('lists a problem per missing part and keeps the rest', () => {
    const outputs = new Map([
      ok('tm.stat', PROC_STAT(1, 1)),
      ok('tm.meminfo', 'cat: /proc/meminfo: No such file or directory', 1),
      ok('tm.disk', 'df: /opt/oht50: No such file or directory', 1),
      ok('tm.backend', '', 7),
      ok('tm.firmware', 'failed', 3),
    ]);
    const reading = readSample(profile, outputs, null);
    expect(reading.metrics).toEqual({ 'firmware.up': 0 });
    expect(reading.problems).toEqual([
      'memory (/proc/meminfo): exit 1 (cat: /proc/meminfo: No such file or directory)',
      'disk (df /opt/oht50): exit 1 (df: /opt/oht50: No such file or directory)',
      'backend API :8000: exit 7 (connection refused)',
    ]);
  });

  it('says so when the backend answers something that is not its telemetry', () => {
    const notJson = readSample(profile, new Map([ok('tm.backend', '<html>502 Bad Gateway</html>')]), null);
    expect(notJson.problems).toContain(
      'backend API :8000: /api/v1/telemetry/current did not answer JSON (<html>502 Bad Gateway</html>)',
    );
    const refused = readSample(profile, new Map([ok('tm.backend', '{"detail":"Not authenticated"}')]), null);
    expect(refused.problems).toContain('backend API :8000: /api/v1/telemetry/current refused: Not authenticated');
    // The backend's refusal is its own text, quoted inside words a Vietnamese reader reads.
    const words =
      refused.problemWords[
        refused.problems.indexOf('backend API :8000: /api/v1/telemetry/current refused: Not authenticated')
      ];
    expect(words && sayPartsIn(words, 'vi')).toEqual([
      { text: 'backend API :8000: /api/v1/telemetry/current từ chối: ' },
      { text: 'Not authenticated', raw: true },
    ]);
    expect(refused.problemWords.map((w) => sayIn(w, 'en'))).toEqual(refused.problems);
    const partial = readSample(profile, new Map([ok('tm.backend', '{"motor_speed":"fast"}')]), null);
    expect(partial.problems).toContain(
      'backend API :8000: /api/v1/telemetry/current has no numeric motor_speed, motor_temperature',
    );
    const wrapped = readSample(profile, new Map([ok('tm.backend', `{"success":true,"data":${backend}}`)]), null);
    expect(wrapped.metrics['backend.motor_speed']).toBe(1500);
  });

  it('names a tool the vehicle lacks, a probe that timed out, and an answer cut off', () => {
    const reading = readSample(
      profile,
      new Map<string, ProbeOutput>([
        ok('tm.backend', 'sh: 1: curl: not found', 127),
        ok('tm.firmware', '', 124),
        ['tm.disk', { key: 'tm.disk', stdout: 'Filesys', exitCode: null, truncated: true }],
      ]),
      null,
    );
    expect(reading.problems).toEqual([
      'cpu (/proc/stat): no answer from the vehicle',
      'memory (/proc/meminfo): no answer from the vehicle',
      'disk (df /opt/oht50): the answer was cut off',
      'backend API :8000: a tool is missing on the vehicle (sh: 1: curl: not found)',
      'firmware (oht50-firmware): timed out on the vehicle',
    ]);
  });
});
