import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The renderer build that the browser host serves; produced by `npm run build:renderer`. */
export const RENDERER_DIST = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export function rendererBuilt(): boolean {
  return existsSync(`${RENDERER_DIST}/index.html`);
}
