import path from 'node:path';

export type StaticTarget = { kind: 'file'; filePath: string } | { kind: 'refused' };

/**
 * Maps the raw request path (as sent, before any normalisation) to a file under root. Any `..` segment,
 * encoded or not, a backslash or a NUL is refused outright rather than normalised away, so a traversal
 * attempt never turns into a different, valid-looking path.
 */
export function resolveStaticPath(root: string, rawUrl: string): StaticTarget {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'refused' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return { kind: 'refused' };
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    return { kind: 'refused' };
  }
  if (segments.length === 0) {
    return { kind: 'file', filePath: path.join(root, 'index.html') };
  }
  const filePath = path.resolve(root, ...segments);
  const relative = path.relative(root, filePath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    return { kind: 'refused' };
  }
  return { kind: 'file', filePath };
}

/** A last segment with an extension is a file the page asked for, not a route of the single-page app. */
export function looksLikeAsset(rawUrl: string): boolean {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '';
  const last = rawPath.split('/').pop() ?? '';
  return /\.[A-Za-z0-9]+$/.test(last);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}
