import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { apiModule, detectFirmwarePort } from '../../../electron/core/diagnostics/modules/apiModule';
import { curlChain, parseChain, type HttpRequestSpec } from '../../../electron/core/diagnostics/modules/apiCurl';
import type { ProbeOutput } from '../../../electron/core/transport/batch';
import { parseBatchScript } from '../../../electron/core/transport/parallelBatch';
import { cannedChannel, get, simChannel, simVehicle, sweepApi, unitWith } from './apiSweepHelpers';

describe('api checks against a simulated vehicle', () => {
  it('finds a healthy vehicle OK, with every aspect the runbook checks as a child', async () => {
    const checks = await sweepApi(simChannel(simVehicle()));
    expect(get(checks, 'api.backend')).toMatchObject({ level: 'OK' });
    expect(get(checks, 'api.backend').children?.map((c) => [c.id, c.level])).toEqual([
      ['api.backend.health', 'OK'],
      ['api.backend.detailed', 'OK'],
      ['api.backend.auth', 'OK'],
      ['api.backend.cors', 'OK'],
      ['api.backend.rateLimit', 'OK'],
    ]);
    expect(get(checks, 'api.backend.health').message).toMatch(
      /^backend API answers on :8000: 5 of 5 requests OK, median 2\.8 ms .*status healthy/,
    );
    expect(get(checks, 'api.firmware')).toMatchObject({ level: 'OK' });
    expect(get(checks, 'api.firmware.health').message).toMatch(/^firmware API answers on :8081: 5 of 5 requests OK/);
    expect(get(checks, 'api.firmware.state').message).toMatch(/^the firmware is IDLE for \d+ min/);
    expect(get(checks, 'api.backend.health').evidence).toContain(
      "$ curl -sS -m 2 -w '\\n@@ohtw-http %{http_code} %{time_total}\\n' http://127.0.0.1:8000/health",
    );
  });

  it('judges the response time by the thresholds: WARN past 500 ms, ERROR past 1000 ms, ERROR on a timeout', async () => {
    const vehicle = simVehicle();
    vehicle.slowApi('backend', 700);
    let health = get(await sweepApi(simChannel(vehicle)), 'api.backend.health');
    expect(health).toMatchObject({ level: 'WARN', runbook: expect.stringContaining('API Endpoints Not Responding') });
    expect(health.message).toContain('slow: median 703 ms');
    vehicle.slowApi('backend', 1200);
    health = get(await sweepApi(simChannel(vehicle)), 'api.backend.health');
    expect(health.level).toBe('ERROR');
    vehicle.slowApi('backend', 2500);
    const checks = await sweepApi(simChannel(vehicle));
    expect(get(checks, 'api.backend')).toMatchObject({
      level: 'ERROR',
      message: 'backend API: no answer on :8000 within 2 s (curl timed out)',
    });
    // One timeout stops the chain: nothing else is asked of a port that hangs.
    expect(get(checks, 'api.backend').children?.map((c) => c.id)).toEqual(['api.backend.health']);
  });

  it('uses the thresholds from the settings, not fixed numbers', async () => {
    const vehicle = simVehicle();
    vehicle.slowApi('firmware', 150);
    const thresholds = { ...DEFAULT_THRESHOLDS, responseTimeMs: { warning: 100, critical: 400 } };
    const checks = await sweepApi(simChannel(vehicle), unitWith(), thresholds);
    expect(get(checks, 'api.firmware.health')).toMatchObject({ level: 'WARN' });
    expect(get(checks, 'api.firmware.health').message).toContain('warning at 100 ms, critical at 400 ms');
  });

  it('is ERROR with the error rate when requests fail, and sends the technician to High Error Rate', async () => {
    const vehicle = simVehicle();
    vehicle.apiErrors('backend', 20);
    const health = get(await sweepApi(simChannel(vehicle)), 'api.backend.health');
    expect(health).toMatchObject({ level: 'ERROR', runbook: 'Monitoring & Alerts › 3. Alert Actions' });
    expect(health.message).toContain('1 of 5 requests failed (20 % error rate: HTTP 500)');
  });

  it('is ERROR when a protected endpoint answers without a token', async () => {
    const vehicle = simVehicle();
    vehicle.state.http.backend.authEnforced = false;
    const auth = get(await sweepApi(simChannel(vehicle)), 'api.backend.auth');
    expect(auth).toMatchObject({ level: 'ERROR', runbook: 'Security Incidents › 1. Unauthorized Access' });
    expect(auth.message).toMatch(/^authentication is not enforced: \/api\/v1\/monitoring\/metrics answered HTTP 200/);
  });

  it('warns when the backend allows no cross-origin page, and errs when it rate-limits a handful of requests', async () => {
    const vehicle = simVehicle();
    vehicle.state.http.backend.corsOrigins = [];
    vehicle.state.http.backend.rateLimit.limit = 7;
    const checks = await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [apiModule]);
    expect(get(checks, 'api.backend.cors').level).toBe('WARN');
    expect(get(checks, 'api.backend.rateLimit')).toMatchObject({ level: 'ERROR' });
    expect(get(checks, 'api.backend.rateLimit').message).toMatch(/answered 429 Too Many Requests to 3 of 10 requests/);
  });

  it('says "not offered by this build" for a 404, never ERROR by itself', async () => {
    const vehicle = simVehicle();
    vehicle.state.http.backend.missingPaths.push('/api/v1/monitoring/metrics', '/api/v1/health/detailed');
    vehicle.state.http.firmware.missingPaths.push('/api/v1/system/state');
    const checks = await sweepApi(simChannel(vehicle));
    expect(get(checks, 'api.backend.auth')).toMatchObject({ level: 'OK' });
    expect(get(checks, 'api.backend.auth').message).toContain('not offered by this build');
    expect(get(checks, 'api.backend.detailed')).toMatchObject({ level: 'OK' });
    expect(get(checks, 'api.firmware.state').message).toContain('not offered by this build');
  });

  it('is ERROR with "connection refused" when the firmware is down, naming both ports it tried', async () => {
    const vehicle = simVehicle();
    vehicle.stopService('firmware');
    const checks = await sweepApi(simChannel(vehicle));
    expect(get(checks, 'api.firmware')).toMatchObject({
      level: 'ERROR',
      runbook: 'Emergency › 1. System Down – Emergency Response',
      message: 'firmware API: connection refused on :8081: nothing listens there (:8080 refuses connections)',
    });
    expect(get(checks, 'api.backend.detailed')).toMatchObject({ level: 'WARN' });
    expect(get(checks, 'api.backend.detailed').message).toContain('the backend cannot reach the firmware API');
  });

  it('finds the firmware on :8080 when the profile expects :8081, says so, and the profile can learn it', async () => {
    const vehicle = simVehicle('newer');
    const unit = unitWith();
    const checks = await sweepApi(simChannel(vehicle), unit);
    expect(get(checks, 'api.firmware').level).toBe('OK');
    expect(get(checks, 'api.firmware.health').message).toContain(
      '[answers on :8080, not on :8081 as the profile says (:8081 refuses connections)]',
    );
    const outputs = await probeOutputs(simChannel(vehicle), unit);
    expect(detectFirmwarePort(unit.profile, outputs)).toMatchObject({ firmwarePort: 8080, detected: true });
    expect(detectFirmwarePort({ ...unit.profile, variant: 'custom' }, outputs).firmwarePort).toBe(8081);
  });

  it('asks only the profile’s port when the technician set it by hand', async () => {
    const unit = unitWith({ variant: 'custom', firmwarePort: 9123, backendPort: 9000 });
    const probes = apiModule.probes({ unit, profile: unit.profile, thresholds: DEFAULT_THRESHOLDS });
    expect(probes.map((p) => p.key)).toEqual(['api.backend', 'api.firmware.9123', 'firmware.state.9123']);
    expect(probes[0]?.command).toContain('http://127.0.0.1:9000/health');
  });

  it('is STALE, with the reason, when the firmware answers garbage', async () => {
    const vehicle = simVehicle();
    vehicle.apiGarbage('firmware');
    const checks = await sweepApi(simChannel(vehicle));
    expect(get(checks, 'api.firmware')).toMatchObject({ level: 'STALE' });
    expect(get(checks, 'api.firmware.health').message).toContain('its health answer is not JSON');
  });

  it('reports the firmware’s ESTOP and FAULT states as ERROR with the matching runbook section', async () => {
    const vehicle = simVehicle();
    vehicle.setSystemState('ESTOP', { fault: 'ESTOP', event: 'ESTOP_TRIGGERED' });
    expect(get(await sweepApi(simChannel(vehicle)), 'api.firmware.state')).toMatchObject({
      level: 'ERROR',
      runbook: 'Emergency › 2. E-Stop Triggered – Safety Response',
    });
    vehicle.setSystemState('FAULT', { fault: 'COMMUNICATION' });
    const state = get(await sweepApi(simChannel(vehicle)), 'api.firmware.state');
    expect(state).toMatchObject({ level: 'ERROR', runbook: 'Emergency › 3. Communication Failure – Network Issues' });
    expect(state.message).toMatch(/^the firmware is FAULT for 0 s \(fault COMMUNICATION\)/);
  });
});

describe('api checks against a vehicle that answers badly', () => {
  it('is STALE when curl is missing on the vehicle', async () => {
    const checks = await sweepApi(
      cannedChannel((script) => frame(script, () => 'sh: 1: curl: not found\n@@ohtw-exit 127', 0)),
    );
    expect(get(checks, 'api.backend')).toMatchObject({ level: 'STALE' });
    expect(get(checks, 'api.backend').message).toContain('curl is not installed on the vehicle');
    expect(get(checks, 'api.firmware').level).toBe('STALE');
    expect(get(checks, 'rs485.modules').level).toBe('STALE');
  });

  it('is STALE when the answer is cut off, timed out or not what curl prints', async () => {
    const truncated = await sweepApi(cannedChannel((script) => frame(script, () => '{"success":tr', null)));
    expect(get(truncated, 'api.backend').message).toContain('the answer was cut off');
    const killed = await sweepApi(cannedChannel((script) => frame(script, () => '', 124)));
    expect(get(killed, 'api.firmware').message).toContain('timed out on the vehicle');
    const garbage = await sweepApi(cannedChannel((script) => frame(script, () => 'Segmentation fault', 0)));
    expect(get(garbage, 'api.backend')).toMatchObject({ level: 'STALE' });
    expect(get(garbage, 'api.backend').message).toContain('did not parse');
  });

  it('never throws on random output, and always reports the four checks', async () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pieces = [
      '@@ohtw-http 200 0.1',
      '@@ohtw-http 000 2.0',
      '@@ohtw-exit 7',
      '{"status":"ok"}',
      '\r',
      'curl: (28) x',
      '{',
      '@@ohtw-http 404 x',
    ];
    for (let round = 0; round < 40; round += 1) {
      const checks = await sweepApi(
        cannedChannel((script) =>
          frame(
            script,
            () =>
              Array.from(
                { length: Math.floor(random() * 12) },
                () => pieces[Math.floor(random() * pieces.length)],
              ).join('\n'),
            0,
          ),
        ),
      );
      for (const id of ['api.backend', 'api.firmware', 'rs485.modules', 'rs485.bus']) {
        expect(checks.has(id)).toBe(true);
      }
    }
  });
});

describe('parsing a chain of curl answers', () => {
  const specs: HttpRequestSpec[] = [
    { label: 'a', path: '/health', body: true, maxTimeS: 2 },
    { label: 'b', path: '/health', maxTimeS: 2 },
    { label: 'c', path: '/x', body: true, maxTimeS: 3 },
  ];

  it('writes one curl for all requests to a port, runnable by any sh', () => {
    expect(curlChain(8000, specs.slice(0, 2))).toBe(
      "curl --fail-early -sS -m 2 -w '\\n@@ohtw-http %{http_code} %{time_total}\\n' http://127.0.0.1:8000/health " +
        "--next -sS -o /dev/null -m 2 -w '\\n@@ohtw-http %{http_code} %{time_total}\\n' http://127.0.0.1:8000/health; " +
        'echo "@@ohtw-exit $?"',
    );
  });

  it('splits bodies, statuses and times, and gives the last curl’s status to the request that failed', () => {
    const output =
      '{"a":1}\n@@ohtw-http 200 0.001500\n\n@@ohtw-http 503 0,002\n' +
      'curl: (28) Operation timed out after 3001 milliseconds with 0 bytes received\n\n@@ohtw-http 000 3.001\n@@ohtw-exit 28';
    const chain = parseChain(8000, specs, output);
    const [a, b, c] = chain.outcomes;
    expect(a).toMatchObject({ ran: true, answer: { status: 200, body: '{"a":1}', timeMs: 1.5, exitCode: 0 } });
    expect(b).toMatchObject({ ran: true, answer: { status: 503, timeMs: 2, exitCode: 0 } });
    expect(c).toMatchObject({
      ran: true,
      answer: { status: 0, exitCode: 28, error: expect.stringContaining('curl: (28)') },
    });
  });

  it('marks the requests after a refused one as not sent', () => {
    const chain = parseChain(8081, specs, 'curl: (7) Failed to connect\n\n@@ohtw-http 000 0.0002\n@@ohtw-exit 7');
    expect(chain.outcomes.map((o) => o.ran)).toEqual([true, false, false]);
    expect(chain.outcomes[0]).toMatchObject({ answer: { exitCode: 7 } });
  });
});

/**
 * A batch answer in which every probe printed `body(key)` and ended with `exit` (null: the batch ended early,
 * as when the link dropped).
 */
function frame(script: string, body: (key: string) => string, exit: number | null): string {
  const batch = parseBatchScript(script);
  if (!batch) {
    throw new Error('not a batch script');
  }
  return batch.probes
    .map((p) => {
      const begin = `\n@@ohtw:${batch.nonce}:begin:${p.key}\n${body(p.key)}`;
      return exit === null ? begin : `${begin}\n@@ohtw:${batch.nonce}:end:${p.key}:${exit}\n`;
    })
    .join('');
}

async function probeOutputs(
  channel: ReturnType<typeof simChannel>,
  unit: ReturnType<typeof unitWith>,
): Promise<Map<string, ProbeOutput>> {
  const { buildBatchScript, parseBatchOutput } = await import('../../../electron/core/transport/batch');
  const probes = apiModule.probes({ unit, profile: unit.profile, thresholds: DEFAULT_THRESHOLDS });
  const nonce = '0123456789abcdef';
  const result = await channel.exec(buildBatchScript(probes, nonce), { timeoutMs: 10_000 });
  return parseBatchOutput(
    result.stdout,
    nonce,
    probes.map((p) => p.key),
  );
}
