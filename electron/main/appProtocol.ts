import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';

import { buildContentSecurityPolicy } from '../host/csp';
import { contentTypeFor, resolveStaticPath } from '../host/staticPath';

/**
 * The window loads the UI from the app's own scheme, `app://workstation/…`, never from file://: a file:// page may
 * read any other file:// URL, and it has no response headers to carry a Content-Security-Policy. The scheme is
 * registered standard and secure (so 'self' is the app's origin) and the handler serves only the built renderer's
 * files, each with the strict CSP header (connect-src 'self': the window talks to the core over IPC, never the network).
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'workstation';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The privileges registerSchemesAsPrivileged gives the scheme: a standard, secure origin that may use fetch. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  stream: false,
  bypassCSP: false,
  allowServiceWorkers: false,
} as const;

/** The CSP header of every app:// response: nothing but the app's own files, no inline script, no eval. */
export const APP_CSP = buildContentSecurityPolicy();

export type AppProtocolOptions = {
  /** The built renderer folder (dist/renderer). */
  rootDir: string;
  readFile?: (file: string) => Promise<Buffer>;
};

/** The handler protocol.handle('app', …) is given: a Request in, a Response out, like fetch. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const read = options.readFile ?? ((file: string) => readFile(file));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(405, 'only GET and HEAD');
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'not a URL');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
      return refuse(404, 'not the app');
    }
    // The raw path, before URL normalisation: an encoded `..` is refused, not resolved.
    const rawPath = request.url.slice(`${APP_SCHEME}://${APP_HOST}`.length) || '/';
    const target = resolveStaticPath(options.rootDir, rawPath);
    if (target.kind === 'refused') {
      return refuse(404, 'not a file of the app');
    }
    const file = await insideRoot(options.rootDir, target.filePath);
    if (file === null) {
      return refuse(404, 'not a file of the app');
    }
    let body: Buffer;
    try {
      body = await read(file);
    } catch {
      return refuse(404, 'no such file');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file) },
    });
  };
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;

function refuse(status: number, reason: string): Response {
  return new Response(reason, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

/** The file's real path when it is inside the root after symlinks are followed; null otherwise or when missing. */
async function insideRoot(rootDir: string, file: string): Promise<string | null> {
  try {
    const [root, real] = await Promise.all([realpath(rootDir), realpath(file)]);
    const relative = path.relative(root, real);
    return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? null : real;
  } catch {
    return null;
  }
}
