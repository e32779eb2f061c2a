import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { fixedClock } from '../../../electron/core/ports/Clock';
import { answerCommand } from '../../../electron/sim/commands';
import { SimVehicle } from '../../../electron/sim/SimVehicle';

const NOW = Date.UTC(2026, 10, 28, 15, 49, 15);
const OHT = { name: 'oht' };
const W = `-w '\\n%{http_code} %{time_total}\\n'`;

function vehicle(variant: 'runbook' | 'newer' = 'runbook'): SimVehicle {
  return new SimVehicle({ name: 'sim-01', variant, clock: fixedClock(NOW) });
}

function run(v: SimVehicle, command: string): { stdout: string; stderr: string; exitCode: number } {
  return answerCommand(v, command, OHT);
}

/** The body and the `code time` line that ${W} appends. */
function split(stdout: string): { body: string; code: string; timeS: number } {
  const lines = stdout.split('\n');
  const [code = '', time = ''] = (lines[lines.length - 2] ?? '').split(' ');
  return { body: lines.slice(0, -2).join('\n'), code, timeS: Number(time) };
}

describe('curl on a simulated vehicle: the two APIs', () => {
  it('answers the backend health with the facts JSON, quickly', () => {
    const r = run(vehicle(), `curl -s ${W} http://localhost:8000/health`);
    expect(r.exitCode).toBe(0);
    const { body, code, timeS } = split(r.stdout);
    expect(code).toBe('200');
    expect(timeS).toBeGreaterThan(0);
    expect(timeS).toBeLessThan(0.05);
    expect(JSON.parse(body)).toMatchObject({ success: true, status: 'healthy', overall_health_score: 96.5 });
  });

  it('redirects the runbook form /health/ as FastAPI does, and follows it with -L', () => {
    const v = vehicle();
    expect(split(run(v, `curl -s ${W} http://localhost:8000/health/`).stdout).code).toBe('307');
    const followed = split(run(v, `curl -sL ${W} http://localhost:8000/health/`).stdout);
    expect(followed.code).toBe('200');
    expect(JSON.parse(followed.body).status).toBe('healthy');
  });

  it('serves the firmware on :8081 on the runbook image and on :8080 on newer ones, the other port refused', () => {
    const runbook = vehicle('runbook');
    expect(JSON.parse(split(run(runbook, `curl -s ${W} 127.0.0.1:8081/health`).stdout).body)).toMatchObject({
      status: 'healthy',
      firmware: 'running',
      data: { system_state: 'IDLE', version: '1.0.0' },
    });
    expect(run(runbook, 'curl -s http://127.0.0.1:8080/health').exitCode).toBe(7);
    const newer = vehicle('newer');
    expect(run(newer, 'curl -s http://127.0.0.1:8080/health').exitCode).toBe(0);
    expect(run(newer, 'curl -s http://127.0.0.1:8081/health').exitCode).toBe(7);
  });

  it('refuses the connection once the service is stopped, with curl 7.88 words and exit 7', () => {
    const v = vehicle();
    v.stopService('firmware');
    const r = run(v, `curl -sS -m 3 ${W} http://127.0.0.1:8081/health`);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toBe(
      "curl: (7) Failed to connect to 127.0.0.1 port 8081 after 0 ms: Couldn't connect to server\n",
    );
    expect(split(r.stdout)).toMatchObject({ body: '', code: '000' });
    expect(run(v, 'curl -s http://127.0.0.1:8081/health').stderr).toBe('');
  });

  it('lists the modules and their statistics in the firmware shapes, and follows injected bus faults', () => {
    const v = vehicle();
    v.moduleOffline(0x03);
    v.busErrors(5, 1);
    type Listed = { success: boolean; modules: { address: number; type: string; online: boolean }[] };
    const modules = JSON.parse(run(v, 'curl -s http://127.0.0.1:8081/api/v1/modules').stdout) as Listed;
    expect(modules.success).toBe(true);
    expect(modules.modules.map((m) => [m.address, m.type, m.online])).toEqual([
      [2, 'Power', true],
      [3, 'Safety', false],
      [4, 'Travel', true],
      [5, 'Dock', true],
    ]);
    const stats = JSON.parse(run(v, 'curl -s http://127.0.0.1:8081/api/v1/modules/stats').stdout);
    expect(stats.data).toMatchObject({
      total_modules: 4,
      online_modules: 3,
      offline_modules: 1,
      crc_errors: 5,
      health_timeouts: 3,
    });
    // The stub the facts warn about does not change with the bus.
    const stub = JSON.parse(run(v, 'curl -s http://127.0.0.1:8081/api/v1/rs485/modules').stdout);
    expect(stub.data.health_score).toBe(75);
  });

  it('reports a slow API in time_total and times out past -m with exit 28', () => {
    const v = vehicle();
    v.slowApi('backend', 700);
    expect(split(run(v, `curl -s -m 2 ${W} http://127.0.0.1:8000/health`).stdout).timeS).toBeCloseTo(0.7028, 3);
    v.slowApi('backend', 2500);
    const r = run(v, `curl -sS -m 2 -o /dev/null ${W} http://127.0.0.1:8000/health`);
    expect(r.exitCode).toBe(28);
    expect(r.stderr).toBe('curl: (28) Operation timed out after 2001 milliseconds with 0 bytes received\n');
    expect(split(r.stdout)).toMatchObject({ code: '000', timeS: 2.001 });
  });

  it('spreads injected errors evenly, or answers every request with a status', () => {
    const v = vehicle();
    v.apiErrors('backend', 20);
    const codes = Array.from(
      { length: 10 },
      () => run(v, `curl -s -o /dev/null -w '%{http_code}' localhost:8000/health`).stdout,
    );
    expect(codes).toEqual(['200', '200', '200', '200', '500', '200', '200', '200', '200', '500']);
    v.apiErrors('firmware', { status: 503 });
    expect(run(v, `curl -s -o /dev/null -w '%{http_code}' localhost:8081/health`).stdout).toBe('503');
    v.apiErrors('firmware', 0);
    expect(run(v, `curl -s -o /dev/null -w '%{http_code}' localhost:8081/health`).stdout).toBe('200');
  });

  it('guards the protected backend endpoints unless auth is bypassed', () => {
    const v = vehicle();
    const code = (extra: string): string =>
      run(v, `curl -s -o /dev/null -w '%{http_code}' ${extra} http://127.0.0.1:8000/api/v1/monitoring/metrics`).stdout;
    expect(code('')).toBe('403');
    expect(code(`-H 'Authorization: Bearer nonsense'`)).toBe('401');
    expect(code(`-H 'Authorization: Bearer mock_token'`)).toBe('200');
    v.state.http.backend.authEnforced = false;
    expect(code('')).toBe('200');
  });

  it('adds the CORS headers for an allowed Origin only, and prints the headers with -i', () => {
    const v = vehicle();
    const allowed = run(v, `curl -si -H 'Origin: http://localhost:3000' http://127.0.0.1:8000/api/v1/health/`).stdout;
    expect(allowed).toMatch(/^HTTP\/1\.1 200 OK\r\ndate: .*\r\nserver: uvicorn\r\ncontent-length: \d+\r\n/);
    expect(allowed).toContain('access-control-allow-origin: http://localhost:3000\r\n');
    expect(allowed).toMatch(/\r\n\r\n\{"status":"healthy",.*"service":"OHT-50 Backend","version":"1.0.0"\}$/);
    const other = run(v, `curl -si -H 'Origin: http://evil.example' http://127.0.0.1:8000/api/v1/health/`).stdout;
    expect(other).not.toContain('access-control-allow-origin');
    expect(run(v, 'curl -si http://127.0.0.1:8081/health').stdout).toMatch(
      /^HTTP\/1\.1 200 OK\r\nContent-Type: application\/json\r\nContent-Length: \d+\r\nConnection: close\r\n\r\n\{/,
    );
    // The firmware's hand-written server parses GET and POST only.
    expect(run(v, `curl -sI -w '%{http_code}' http://127.0.0.1:8081/health`).stdout).toMatch(/405$/);
  });

  it('rate-limits the backend past its limit with 429', () => {
    const v = vehicle();
    v.state.http.backend.rateLimit.limit = 3;
    const codes = Array.from(
      { length: 5 },
      () => run(v, `curl -s -o /dev/null -w '%{http_code}' localhost:8000/health`).stdout,
    );
    expect(codes).toEqual(['200', '200', '200', '429', '429']);
  });

  it('answers garbage when told to, and 404 for paths an older build lacks', () => {
    const v = vehicle();
    v.apiGarbage('firmware');
    expect(() => JSON.parse(run(v, 'curl -s localhost:8081/api/v1/modules').stdout) as unknown).toThrow();
    v.apiGarbage('firmware', false);
    v.state.http.firmware.missingPaths.push('/api/v1/modules/stats');
    expect(run(v, `curl -s -w ' %{http_code}' localhost:8081/api/v1/modules/stats`).stdout).toBe(
      '{"success":false,"message":"Endpoint not found"} 404',
    );
  });

  it('takes the firmware to ESTOP with a token and back with reset; the backend sees it', () => {
    const v = vehicle();
    const post = (path: string, token = ''): string =>
      run(
        v,
        `curl -s -X POST ${token ? `-H 'Authorization: Bearer ${token}' ` : ''}-w ' %{http_code}' http://localhost:8081${path}`,
      ).stdout;
    expect(post('/api/v1/state/emergency')).toMatch(/"example":"Authorization: Bearer oht50_admin_token_2025"\} 401$/);
    expect(post('/api/v1/state/emergency', 'oht50_operator_token_2025')).toMatch(/ 200$/);
    const state = JSON.parse(run(v, 'curl -s localhost:8081/api/v1/system/state').stdout);
    expect(state.data).toMatchObject({ current_state: 'ESTOP', previous_state: 'IDLE', current_fault: 'ESTOP' });
    expect(JSON.parse(run(v, 'curl -s localhost:8000/api/v1/safety/status').stdout).emergency_stop).toBe(true);
    expect(post('/api/v1/state/reset', 'oht50_admin_token_2025')).toMatch(/ 200$/);
    expect(v.state.stateMachine).toMatchObject({ current: 'IDLE', fault: 'NONE', lastEvent: 'ESTOP_RESET' });
  });
});

describe('curl on a simulated vehicle: the command line', () => {
  it('fails with -f on an HTTP error, with exit 22 and no body', () => {
    const r = run(vehicle(), 'curl -sSf http://localhost:8000/api/v1/config/');
    expect(r).toEqual({ stdout: '', stderr: 'curl: (22) The requested URL returned error: 404\n', exitCode: 22 });
  });

  it('says what is wrong with its arguments, as curl does', () => {
    const v = vehicle();
    expect(run(v, 'curl')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('curl: no URL specified!') });
    expect(run(v, 'curl --frobnicate http://localhost:8000/')).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining('curl: option --frobnicate: is unknown'),
    });
    expect(run(v, 'curl -m')).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('requires parameter') });
    expect(run(v, 'curl -s http://center-server/')).toMatchObject({ exitCode: 6 });
    expect(run(v, 'curl -sS ftp://localhost/')).toMatchObject({
      exitCode: 1,
      stderr: 'curl: (1) Protocol "ftp" not supported or disabled in libcurl\n',
    });
  });

  it('gives each transfer after --next its own options, and stops at the first failure with --fail-early', () => {
    const v = vehicle();
    const both = run(
      v,
      `curl -s -w ' %{http_code}\\n' localhost:8000/health/fast --next -s -o /dev/null -w '%{http_code}\\n' localhost:8081/health`,
    );
    expect(both.stdout).toMatch(/^\{"status":"healthy".*\} 200\n200\n$/);
    v.stopService('firmware');
    const stopped = run(
      v,
      `curl --fail-early -sS -o /dev/null -w '%{http_code}\\n' localhost:8081/health --next -s -w '%{http_code}\\n' localhost:8000/health`,
    );
    expect(stopped).toMatchObject({ exitCode: 7, stdout: '000\n' });
    const onward = run(
      v,
      `curl -s -o /dev/null -w '%{http_code}\\n' localhost:8081/health --next -s -o /dev/null -w '%{http_code}\\n' localhost:8000/health`,
    );
    expect(onward).toMatchObject({ exitCode: 7, stdout: '000\n200\n' });
  });

  it('writes the body where -o says, and shows the progress meter on stderr without -s', () => {
    const v = vehicle();
    const r = run(v, 'curl -o /tmp/health.json http://localhost:8000/health');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('% Total    % Received');
    expect(JSON.parse(v.state.files['/tmp/health.json'] ?? '').status).toBe('healthy');
  });

  it('logs the exchange on stderr with -v, as the runbook’s "curl -v" check reads it', () => {
    const r = run(vehicle(), 'curl -v http://localhost:8000/health/');
    expect(r.stderr).toContain('> GET /health/ HTTP/1.1\n> Host: localhost:8000\n');
    expect(r.stderr).toContain('< HTTP/1.1 307 Temporary Redirect\n');
    expect(r.stderr).toContain('< location: http://localhost:8000/health\n');
  });

  it('fails exactly as the real curl does on a port where nothing listens (same output, same status)', async () => {
    const port = await closedPort();
    const command = `curl -sS -o /dev/null -m 2 -w '\\n@@ %{http_code}\\n' http://127.0.0.1:${port}/health; echo "exit $?"`;
    const real = execFileSync('sh', ['-c', `exec 2>&1; ${command}`], { encoding: 'utf8' });
    const sim = run(vehicle(), `exec 2>&1; ${command}`);
    expect(real).toContain('curl: (7) Failed to connect');
    const normal = (text: string): string => text.replace(/after \d+ ms/, 'after N ms');
    expect(normal(sim.stdout)).toBe(normal(real));
  });
});

/** A port nobody listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
