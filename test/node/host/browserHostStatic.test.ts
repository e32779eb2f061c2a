import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

import { afterEach, describe, expect, it } from 'vitest';

import { INDEX_HTML, startFixtureHost } from './hostFixture';
import { rawRequest } from './httpClient';

type Fixture = Awaited<ReturnType<typeof startFixtureHost>>;

describe('browser host: the page and its files', () => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await fixture?.dispose();
    fixture = undefined;
  });

  it('listens on 127.0.0.1 only and names that address in its url and origin', async () => {
    fixture = await startFixtureHost();
    const { host } = fixture;
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
      .map((info) => info!.address);
    for (const address of [...external, '::1']) {
      await expect(canConnect(address, host.port)).resolves.toBe(false);
    }
    await expect(canConnect('127.0.0.1', host.port)).resolves.toBe(true);
  });

  it('serves index.html at / with the strict CSP and the other security headers', async () => {
    fixture = await startFixtureHost();
    const res = await rawRequest(fixture.host.port, { path: '/?token=abc' });
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${fixture.host.port}`);
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
    // Scripts only from the app's own files; styles may be inline, as the terminal (xterm.js) writes its own.
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/(default|script)-src[^;]*unsafe-inline/);
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content types', async () => {
    fixture = await startFixtureHost();
    const port = fixture.host.port;
    const js = await rawRequest(port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBeDefined();
    expect((await rawRequest(port, { path: '/assets/app.css' })).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await rawRequest(port, { path: '/favicon.svg' })).headers['content-type']).toBe('image/svg+xml');
  });

  it('answers client-side routes with index.html but a missing asset with 404', async () => {
    fixture = await startFixtureHost();
    const route = await rawRequest(fixture.host.port, { path: '/units/oht-07/history' });
    expect(route.status).toBe(200);
    expect(route.body).toBe(INDEX_HTML);
    const missing = await rawRequest(fixture.host.port, { path: '/assets/gone.js' });
    expect(missing.status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/assets/../../secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('refuses the traversal or malformed path %s', async (path) => {
    fixture = await startFixtureHost();
    const res = await rawRequest(fixture.host.port, { path });
    expect(res.status).toBe(400);
    expect(res.body).not.toContain('not for the browser');
  });

  it('answers 503 with the build command when the renderer is not built', async () => {
    fixture = await startFixtureHost({ withIndex: false });
    const res = await rawRequest(fixture.host.port, { path: '/' });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('npm run build:renderer');
  });

  it('refuses a Host header that is not this listener (DNS rebinding)', async () => {
    fixture = await startFixtureHost();
    const port = fixture.host.port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '']) {
      const res = await rawRequest(port, { path: '/', headers: { host } });
      expect(res.status, host).toBe(403);
      expect(res.body).not.toContain('OHT-50 Workstation</title>');
    }
    expect((await rawRequest(port, { path: '/', headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('answers only GET and HEAD outside /api', async () => {
    fixture = await startFixtureHost();
    expect((await rawRequest(fixture.host.port, { method: 'POST', path: '/', body: 'x' })).status).toBe(405);
    const head = await rawRequest(fixture.host.port, { method: 'HEAD', path: '/' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
