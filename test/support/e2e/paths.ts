import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RENDERER_DIST = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));
export const SCREENSHOT_DIR = process.env.OHTW_SCREENSHOT_DIR ?? '/tmp/ohtw-e2e';

/** The UI tests drive the production build; say how to get it rather than fail on a 404. */
export function requireRendererBuild(): string {
  if (!existsSync(`${RENDERER_DIST}index.html`)) {
    throw new Error(
      `No renderer build in ${RENDERER_DIST}: run "npm run build:renderer" first (npm run test:e2e does).`,
    );
  }
  return RENDERER_DIST;
}

/** The layout test's photographs of every page: git-ignored, kept next to the build for a person to look at. */
export const LAYOUT_SCREENSHOT_DIR =
  process.env.OHTW_LAYOUT_SCREENSHOT_DIR ?? fileURLToPath(new URL('../../../.tsbuild/screenshots', import.meta.url));

export function layoutScreenshotPath(name: string): string {
  mkdirSync(LAYOUT_SCREENSHOT_DIR, { recursive: true });
  return `${LAYOUT_SCREENSHOT_DIR}/${name}.png`;
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return `${SCREENSHOT_DIR}/${name}.png`;
}
