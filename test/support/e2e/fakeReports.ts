import { worstLevel, type CheckResult, type DiagnosisReport } from '../../../shared/domain/health';

/** unreachable: the unit does not answer (a STALE report, as the core gives for a unit it cannot reach). */
export type FakeVehicleState = { firmwareFailed: boolean; unreachable?: boolean };

/** A small but realistic health tree: services, their APIs and the OS, with evidence as the probes would print it. */
export function fakeChecks(vehicle: FakeVehicleState): CheckResult[] {
  if (vehicle.unreachable === true) {
    return [{ id: 'connection', level: 'STALE', message: 'the unit did not answer on port 22', evidence: 'ETIMEDOUT' }];
  }
  const firmware: CheckResult = vehicle.firmwareFailed
    ? {
        id: 'services.firmware',
        level: 'ERROR',
        message: 'oht50-firmware is failed (exit code 139)',
        evidence: [
          '× oht50-firmware.service - OHT-50 Firmware',
          '     Loaded: loaded (/etc/systemd/system/oht50-firmware.service; enabled)',
          '     Active: failed (Result: core-dump) since Thu 2025-11-27 09:14:03 UTC; 2min ago',
          '    Process: 812 ExecStart=/opt/oht50/firmware/oht50_main (code=dumped, signal=SEGV)',
        ].join('\n'),
        runbook: "Troubleshooting › Service Won't Start",
      }
    : {
        id: 'services.firmware',
        level: 'OK',
        message: 'oht50-firmware is active (running)',
        evidence:
          '● oht50-firmware.service - OHT-50 Firmware\n     Active: active (running) since Thu 2025-11-27 08:01:12 UTC',
      };
  const groups: CheckResult[] = [
    {
      id: 'services',
      level: 'OK',
      message: 'systemd services',
      evidence: '',
      children: [
        {
          id: 'services.backend',
          level: 'OK',
          message: 'oht50-backend is active (running)',
          evidence: '● oht50-backend.service - OHT-50 Backend\n     Active: active (running)',
        },
        firmware,
      ],
    },
    {
      id: 'api',
      level: 'OK',
      message: 'HTTP APIs',
      evidence: '',
      children: [
        {
          id: 'api.backend',
          level: 'OK',
          message: 'GET :8000/health answered 200 in 14 ms',
          evidence: '{"status":"healthy"}',
        },
        vehicle.firmwareFailed
          ? {
              id: 'api.firmware',
              level: 'ERROR',
              message: 'GET :8081/health: connection refused',
              evidence: 'curl: (7) Failed to connect to 127.0.0.1 port 8081: Connection refused',
              runbook: 'Troubleshooting › API Endpoints Not Responding',
            }
          : {
              id: 'api.firmware',
              level: 'OK',
              message: 'GET :8081/health answered 200 in 6 ms',
              evidence: '{"ok":true}',
            },
      ],
    },
    {
      id: 'os',
      level: 'OK',
      message: 'OS resources',
      evidence: '',
      children: [
        { id: 'os.disk', level: 'OK', message: '/ is 41 % full', evidence: '/dev/mmcblk0p2  29G  12G  17G  41% /' },
        { id: 'os.memory', level: 'OK', message: '38 % of memory in use', evidence: 'Mem: 7.7Gi 2.9Gi 4.8Gi' },
      ],
    },
  ];
  return groups.map((group) => ({ ...group, level: worstLevel((group.children ?? []).map((c) => c.level)) }));
}

export function fakeReport(runId: string, unit: string, startedAt: string, vehicle: FakeVehicleState): DiagnosisReport {
  const checks = fakeChecks(vehicle);
  return { runId, unit, level: worstLevel(checks.map((c) => c.level)), startedAt, durationMs: 1240, checks };
}
