import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from '../../../electron/main/appProtocol';

/** The app:// scheme the window loads the UI from, through the handler Electron's protocol.handle is given. */
describe('the app:// protocol', () => {
  let dir: string;
  let root: string;
  let handle: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-app-protocol-'));
    root = join(dir, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>OHT-50</title>');
    await writeFile(join(root, 'assets', 'index.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'not for the page');
    await symlink(join(dir, 'secret.txt'), join(root, 'assets', 'link.txt'));
    handle = createAppProtocolHandler({ rootDir: root });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the built UI with a strict CSP header: only its own files, connect-src self', async () => {
    const page = await handle(new Request(APP_ENTRY_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>OHT-50</title>');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining(["default-src 'self'", "script-src 'self'", "connect-src 'self'", "object-src 'none'"]),
    );
    // Styles are the one exception (the terminal builds its own <style> elements); no script is inline or eval'd.
    const others = csp.split('; ').filter((directive) => directive !== "style-src 'self' 'unsafe-inline'");
    expect(others).toHaveLength(csp.split('; ').length - 1);
    expect(others.join('; ')).not.toMatch(/ws:|unsafe-inline|unsafe-eval|\*/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await handle(new Request('app://workstation/assets/index.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://workstation/../secret.txt',
    'app://workstation/%2e%2e/secret.txt',
    'app://workstation/assets/%2E%2E/%2E%2E/secret.txt',
    'app://workstation/assets/link.txt',
    'app://workstation/missing.js',
    'app://elsewhere/index.html',
  ])('refuses %s', async (url) => {
    const answer = await handle(new Request(url));
    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain('not for the page');
  });

  it('answers only GET and HEAD', async () => {
    expect((await handle(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
    const head = await handle(new Request(APP_ENTRY_URL, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('registers the scheme as a standard, secure origin that bypasses nothing', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, bypassCSP: false, corsEnabled: false });
  });
});
