import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { Logger } from '../core/ports/Logger';
import { sendText } from './respond';
import { contentTypeFor, looksLikeAsset, resolveStaticPath } from './staticPath';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OHT-50 Workstation: interface not built</title></head>
<body><h1>The workstation interface has not been built</h1>
<p>This host serves the built renderer, and none was found. Run <code>npm run build:renderer</code>, then reload this page.</p>
</body></html>
`;

/** Serves the built renderer: its files, index.html for client-side routes, and a clear page when nothing is built. */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  staticDir: string,
  logger: Logger,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendText(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    return;
  }
  const rawUrl = req.url ?? '/';
  const root = path.resolve(staticDir);
  const target = resolveStaticPath(root, rawUrl);
  if (target.kind === 'refused') {
    sendText(res, 400, 'text/plain; charset=utf-8', 'Path not allowed\n');
    return;
  }
  const found = await existingFileUnder(root, target.filePath);
  if (found !== undefined) {
    await sendFile(req, res, found, logger);
    return;
  }
  if (looksLikeAsset(rawUrl)) {
    sendText(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
    return;
  }
  // Anything else is a route of the single-page app: the page itself decides what to show.
  const index = await existingFileUnder(root, path.join(root, 'index.html'));
  if (index === undefined) {
    sendText(res, 503, 'text/html; charset=utf-8', NOT_BUILT_PAGE);
    return;
  }
  await sendFile(req, res, index, logger);
}

/** The real path of a regular file that really lies under root (a symlink out of the build is not followed). */
async function existingFileUnder(root: string, filePath: string): Promise<string | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(filePath)]);
    const relative = path.relative(realRoot, realFile);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      return undefined;
    }
    return (await stat(realFile)).isFile() ? realFile : undefined;
  } catch {
    return undefined;
  }
}

async function sendFile(req: IncomingMessage, res: ServerResponse, filePath: string, logger: Logger): Promise<void> {
  const info = await stat(filePath);
  res.writeHead(200, {
    'Content-Type': contentTypeFor(filePath),
    'Content-Length': info.size,
    // The page is small and is rebuilt in place; revalidating every load keeps it from going stale.
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(filePath), res);
  } catch (error) {
    // The browser went away mid-file; nothing to answer any more.
    logger.debug('static file not fully sent', { file: path.basename(filePath), error: String(error) });
  }
}
