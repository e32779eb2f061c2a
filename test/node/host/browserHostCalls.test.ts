import { afterEach, describe, expect, it } from 'vitest';

import { startBrowserHost } from '../../../electron/host/BrowserHost';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { createFakeCoreFace } from '../../support/fakes/fakeCoreFace';
import { startFixtureHost } from './hostFixture';
import { rawRequest, type RawResponse } from './httpClient';

type Fixture = Awaited<ReturnType<typeof startFixtureHost>>;

describe('browser host: POST /api/call/<name>', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await fixture?.dispose();
    fixture = undefined;
  });

  const call = (
    name: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
    method = 'POST',
  ): Promise<RawResponse> =>
    rawRequest(fixture!.host.port, {
      method,
      path: `/api/call/${name}`,
      headers: { authorization: `Bearer ${fixture!.host.token}`, 'content-type': 'application/json', ...headers },
      body,
    });

  it('passes the call name and parsed input to dispatch and answers its envelope', async () => {
    fixture = await startFixtureHost();
    const res = await fetch(`${fixture.host.origin}/api/call/history.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fixture.host.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'oht-07', limit: 5 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      ok: true,
      value: { echoed: { name: 'history.list', input: { name: 'oht-07', limit: 5 } } },
    });
    expect(fixture.core.calls).toEqual([{ name: 'history.list', input: { name: 'oht-07', limit: 5 } }]);
  });

  it('passes an error envelope through with 200, and an unknown name is left for the core to judge', async () => {
    fixture = await startFixtureHost();
    fixture.core.reply = (name) =>
      Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: `Unknown call: ${String(name)}` } });
    const res = await call('no.such', '{}');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Unknown call: no.such' } });
    expect(fixture.core.calls).toEqual([{ name: 'no.such', input: {} }]);
  });

  it('hands an empty body to the core as no input', async () => {
    fixture = await startFixtureHost();
    expect((await call('units.list', '')).status).toBe(200);
    expect(fixture.core.calls).toEqual([{ name: 'units.list', input: undefined }]);
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token' }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers 401 UNAUTHORIZED to %s without calling the core', async (_what, headers) => {
    fixture = await startFixtureHost();
    const res = await rawRequest(fixture.host.port, {
      method: 'POST',
      path: '/api/call/units.list',
      headers,
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(fixture.core.calls).toEqual([]);
  });

  it('answers 403 FORBIDDEN_ORIGIN to another site, even with the token', async () => {
    fixture = await startFixtureHost();
    for (const origin of ['https://evil.example', 'null', `http://localhost:${fixture.host.port + 1}`]) {
      const res = await call('units.list', '{}', { origin });
      expect(res.status, origin).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    }
    expect(fixture.core.calls).toEqual([]);
    expect((await call('units.list', '{}', { origin: fixture.host.origin })).status).toBe(200);
  });

  it('refuses a rebinding Host header, even with the token', async () => {
    fixture = await startFixtureHost();
    const res = await call('units.list', '{}', { host: `attacker.example:${fixture.host.port}` });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    expect(fixture.core.calls).toEqual([]);
  });

  it('answers malformed JSON with a 400 VALIDATION envelope', async () => {
    fixture = await startFixtureHost();
    const res = await call('units.list', '{"name": ');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(fixture.core.calls).toEqual([]);
  });

  it('answers 413 to a body over 1 MiB, declared or streamed', async () => {
    fixture = await startFixtureHost();
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const declared = await call('units.add', big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const streamed = await call('units.add', big, { 'transfer-encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    expect(fixture.core.calls).toEqual([]);
    // Exactly the limit is still read and passed on.
    const atLimit = await call('units.add', `"${'a'.repeat(1024 * 1024 - 2)}"`);
    expect(atLimit.status).toBe(200);
    expect(fixture.core.calls).toHaveLength(1);
  });

  it('answers 405 to a call that is not a POST, and 404 to an unknown API path', async () => {
    fixture = await startFixtureHost();
    expect((await call('units.list', '', {}, 'GET')).status).toBe(405);
    const unknown = await rawRequest(fixture.host.port, {
      path: '/api/other',
      headers: { authorization: `Bearer ${fixture.host.token}` },
    });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const bare = await rawRequest(fixture.host.port, {
      path: '/api?x=1',
      headers: { authorization: `Bearer ${fixture.host.token}` },
    });
    expect(bare.status).toBe(404);
    // Without the token the API root is still API: refused, not the page.
    expect((await rawRequest(fixture.host.port, { path: '/api' })).status).toBe(401);
  });

  it('still answers an envelope when dispatch throws', async () => {
    fixture = await startFixtureHost();
    fixture.core.reply = () => Promise.reject(new Error('boom'));
    const res = await call('units.list', '{}');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(fixture.records.some((record) => record.level === 'error')).toBe(true);
  });

  it('takes a free port when asked for port 0, with a fresh token per host', async () => {
    const core = createFakeCoreFace();
    const options = { ...core, staticDir: '/nonexistent', port: 0, logger: silentLogger };
    const [a, b] = await Promise.all([startBrowserHost(options), startBrowserHost(options)]);
    try {
      expect(a.port).toBeGreaterThan(0);
      expect(b.port).not.toBe(a.port);
      expect(a.token).not.toBe(b.token);
      expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('uses the token it is given and never logs it', async () => {
    const core = createFakeCoreFace();
    const lines: string[] = [];
    const { createLogger } = await import('../../../electron/core/ports/Logger');
    const logger = createLogger((record) => lines.push(JSON.stringify(record)), 'debug');
    const host = await startBrowserHost({ ...core, staticDir: '/nonexistent', port: 0, logger, token: 'given-token' });
    try {
      expect(host.token).toBe('given-token');
      expect(host.url.endsWith('?token=given-token')).toBe(true);
      expect(lines.join('\n')).not.toContain('given-token');
    } finally {
      await host.close();
    }
  });
});
