import { worstLevel, type CheckResult, type DiagnosisReport, type HealthLevel } from '../../../shared/domain/health';

/*
 * Diagnosis reports shaped as a sweep of a real unit makes them (the same check ids, a group per area, evidence as
 * the probes print it), for building histories with the product's own writers in tests and in bench/history.ts.
 */

export type UnitCondition = {
  firmwareFailed?: boolean;
  estopPressed?: boolean;
  diskPercent?: number;
  /** Varies the readings, so that evidence differs from sweep to sweep as it does on a vehicle. */
  seq?: number;
};

const SYSTEMCTL_SHOW = (service: string, active: string, restarts: number) =>
  [
    `Id=${service}.service`,
    `Description=OHT-50 ${service === 'oht50-backend' ? 'Backend' : 'Firmware'}`,
    'LoadState=loaded',
    `ActiveState=${active}`,
    `SubState=${active === 'active' ? 'running' : 'failed'}`,
    `Result=${active === 'active' ? 'success' : 'core-dump'}`,
    `NRestarts=${restarts}`,
    'UnitFileState=enabled',
    `ExecMainStatus=${active === 'active' ? 0 : 139}`,
    `FragmentPath=/etc/systemd/system/${service}.service`,
    'Restart=on-failure',
    'RestartUSec=5s',
    'TimeoutStartUSec=1min 30s',
    'MemoryCurrent=48230400',
    'TasksCurrent=9',
  ].join('\n');

const SYSTEM_YAML = [
  'center:',
  '  host: 10.10.0.2',
  '  port: 8443',
  'vehicle:',
  '  id: OHT-50',
  '  travel_speed_max: 1.2',
  '  hoist_speed_max: 0.4',
  'rs485:',
  '  device: /dev/ttyOHT485',
  '  baudrate: 115200',
  '  timeout_ms: 50',
  'logging:',
  '  level: INFO',
  '  directory: /opt/oht50/logs',
].join('\n');

function leaf(id: string, level: HealthLevel, message: string, evidence: string, runbook?: string): CheckResult {
  return { id, level, message, evidence, ...(runbook && level !== 'OK' ? { runbook } : {}) };
}

function group(id: string, message: string, children: CheckResult[]): CheckResult {
  const level = worstLevel(children.map((c) => c.level));
  return {
    id,
    level,
    message:
      level === 'OK'
        ? message
        : `${children.filter((c) => c.level !== 'OK').length} of ${children.length} need attention`,
    evidence: '',
    children,
  };
}

export function unitChecks(condition: UnitCondition): CheckResult[] {
  const seq = condition.seq ?? 0;
  const disk = condition.diskPercent ?? 40 + (seq % 7);
  const cpu = 10 + (seq % 23);
  const memory = 30 + (seq % 17);
  const firmwareFailed = condition.firmwareFailed ?? false;
  const estop = condition.estopPressed ?? false;
  return [
    group('services', 'both services run', [
      leaf('services.backend', 'OK', 'oht50-backend is active (running)', SYSTEMCTL_SHOW('oht50-backend', 'active', 0)),
      firmwareFailed
        ? leaf(
            'services.firmware',
            'ERROR',
            'oht50-firmware has failed (exit code 139, core dumped)',
            SYSTEMCTL_SHOW('oht50-firmware', 'failed', 3 + (seq % 4)),
            "Troubleshooting › Service Won't Start",
          )
        : leaf(
            'services.firmware',
            'OK',
            'oht50-firmware is active (running)',
            SYSTEMCTL_SHOW('oht50-firmware', 'active', 0),
          ),
      leaf('services.failed', 'OK', 'no failed units', '0 loaded units listed.'),
    ]),
    group('logs', 'no errors in the last hour', [
      leaf(
        'logs.backend',
        'OK',
        'no errors in the last hour',
        `-- No entries --\n(window 60 min, ${seq % 50} info lines)`,
      ),
      firmwareFailed
        ? leaf(
            'logs.firmware',
            'ERROR',
            '3 errors in the last hour: segmentation fault in rs485 poll loop',
            `oht50_main[812]: rs485: poll timeout on slave 0x04\noht50_main[812]: segmentation fault at 0x0 (sweep ${seq})`,
            "Troubleshooting › Service Won't Start",
          )
        : leaf('logs.firmware', 'OK', 'no errors in the last hour', '-- No entries --'),
    ]),
    group('api', 'both APIs answer', [
      leaf(
        'api.backend',
        'OK',
        `healthy in ${40 + (seq % 30)} ms`,
        `HTTP 200 in ${40 + (seq % 30)} ms\n{"status":"healthy"}`,
      ),
      firmwareFailed
        ? leaf(
            'api.firmware',
            'ERROR',
            'no answer on :8081 (connection refused)',
            'curl: (7) Failed to connect to localhost port 8081',
            'Troubleshooting › API Not Responding',
          )
        : leaf(
            'api.firmware',
            'OK',
            'healthy (state IDLE, version 2.4.1)',
            `HTTP 200 in ${12 + (seq % 9)} ms\n{"success":true,"data":{"system_state":"IDLE","version":"2.4.1"}}`,
          ),
    ]),
    group('safety', 'E-Stop released', [
      estop
        ? leaf(
            'safety.estop',
            'ERROR',
            'E-Stop is pressed (gpio59 reads 0); the firmware reports ESTOP',
            '$ cat /sys/class/gpio/gpio59/value\n0',
            'Emergency › E-Stop Activated',
          )
        : leaf('safety.estop', 'OK', 'E-Stop is released', '$ cat /sys/class/gpio/gpio59/value\n1'),
    ]),
    group('resources', 'within limits', [
      leaf('resources.cpu', 'OK', `CPU ${cpu} %`, `cpu  ${1000 + seq} 0 ${200 + seq} 90000 12 0 3 0 0 0`),
      leaf(
        'resources.memory',
        'OK',
        `memory ${memory} %`,
        `MemTotal: 2030204 kB\nMemAvailable: ${Math.round(2030204 * (1 - memory / 100))} kB`,
      ),
      leaf(
        'resources.disk',
        disk >= 90 ? 'ERROR' : disk >= 80 ? 'WARN' : 'OK',
        `disk ${disk} % used on /`,
        `Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/mmcblk0p2 30000000 ${disk * 300000} ${(100 - disk) * 300000} ${disk}% /`,
        'Alerts › High Disk Usage',
      ),
    ]),
    group('network', 'connected', [
      leaf('network.interfaces', 'OK', 'eth0 up', '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP'),
      leaf('network.route', 'OK', 'default route via 10.10.0.1', 'default via 10.10.0.1 dev eth0'),
      leaf('network.center', 'OK', 'center 10.10.0.2 answers', SYSTEM_YAML),
      leaf('network.ports', 'OK', ':8000 and :8081 listen', 'LISTEN 0 128 0.0.0.0:8000\nLISTEN 0 128 0.0.0.0:8081'),
    ]),
    group('data', 'database intact', [leaf('data.database', 'OK', 'quick_check ok', 'ok')]),
    group('rs485', 'modules present', [
      leaf('rs485.modules', 'OK', '4 modules answer', 'power@2 safety@3 travel@4 dock@5'),
      leaf('rs485.bus', 'OK', 'no CRC errors', `requests ${1000 + seq}, crc 0, timeouts 0`),
    ]),
    leaf('clock', 'OK', 'clock within 1 s', `vehicle 2026-01-01T00:00:0${seq % 10}Z`),
  ];
}

export function fleetReport(unit: string, atMs: number, condition: UnitCondition, runId: string): DiagnosisReport {
  const checks = unitChecks(condition);
  return {
    runId,
    unit,
    level: worstLevel(checks.map((c) => c.level)),
    startedAt: new Date(atMs).toISOString(),
    durationMs: 1800 + ((condition.seq ?? 0) % 400),
    checks,
  };
}
