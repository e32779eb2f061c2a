import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildContentSecurityPolicy } from '../../../electron/host/csp';
import { checkHost, checkOrigin } from '../../../electron/host/requestGuard';
import { contentTypeFor, looksLikeAsset, resolveStaticPath } from '../../../electron/host/staticPath';
import { bearerToken, generateToken, tokensEqual } from '../../../electron/host/token';

describe('token', () => {
  it('generates 32 random bytes as base64url, different every time', () => {
    const a = generateToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateToken()).not.toBe(a);
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abd', 'abc')).toBe(false);
    expect(tokensEqual('', 'abc')).toBe(false);
    expect(tokensEqual('abcdef', 'abc')).toBe(false);
  });

  it('reads only a Bearer authorization', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('request guard', () => {
  it('accepts only this listener as Host', () => {
    expect(checkHost('127.0.0.1:4000', 4000)).toBeUndefined();
    expect(checkHost('LOCALHOST:4000', 4000)).toBeUndefined();
    expect(checkHost('127.0.0.1:4001', 4000)).toMatchObject({ status: 403 });
    expect(checkHost('rebind.example:4000', 4000)).toMatchObject({ status: 403 });
    expect(checkHost(undefined, 4000)).toMatchObject({ status: 403 });
  });

  it('accepts no Origin or exactly its own', () => {
    const own = 'http://127.0.0.1:4000';
    expect(checkOrigin(undefined, own)).toBeUndefined();
    expect(checkOrigin(own, own)).toBeUndefined();
    expect(checkOrigin('null', own)).toMatchObject({ status: 403, code: 'FORBIDDEN_ORIGIN' });
    expect(checkOrigin('http://127.0.0.1:4000.evil.example', own)).toMatchObject({ status: 403 });
  });
});

describe('static paths', () => {
  const root = path.resolve('/srv/renderer');

  it('maps / to index.html and other paths under the root', () => {
    expect(resolveStaticPath(root, '/?token=x')).toEqual({ kind: 'file', filePath: path.join(root, 'index.html') });
    expect(resolveStaticPath(root, '/assets/app.js#x')).toEqual({
      kind: 'file',
      filePath: path.join(root, 'assets', 'app.js'),
    });
  });

  it.each([
    '/../x',
    '/a/../../x',
    '/%2e%2e/x',
    '/.%2E/x',
    '/a%2f..%2f..%2fx',
    '/a\\..\\x',
    '/x%00',
    '/./x',
    '/%zz',
    'x',
  ])('refuses %s', (raw) => {
    expect(resolveStaticPath(root, raw)).toEqual({ kind: 'refused' });
  });

  it('tells a missing asset from a client-side route by its extension', () => {
    expect(looksLikeAsset('/assets/index-abc.js')).toBe(true);
    expect(looksLikeAsset('/units/oht-07')).toBe(false);
    expect(looksLikeAsset('/units/oht-07?x=a.b')).toBe(false);
  });

  it('knows the content types of a renderer build', () => {
    expect(contentTypeFor('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a/x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a/f.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a/blob')).toBe('application/octet-stream');
  });
});

describe('content security policy', () => {
  it("allows only its own files, plus the given connect sources and the terminal's own styles", () => {
    const csp = buildContentSecurityPolicy({ connectSources: ['ws://127.0.0.1:4000'] });
    expect(csp.split('; ')).toEqual([
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self' ws://127.0.0.1:4000",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]);
  });
});
