import { homedir } from 'node:os';
import { join } from 'node:path';

/** Must equal Electron's app.getPath('userData') for the product name, so the CLI and the desktop app share one history. */
export const PRODUCT_NAME = 'OHT-50 Workstation';

export function defaultDataDir(
  env: Record<string, string | undefined> = process.env,
  platform = process.platform,
): string {
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  }
  if (platform === 'darwin') {
    return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  }
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

/** `--data-dir` wins, then OHTW_DATA_DIR, then the per-user application data folder. */
export function resolveDataDir(
  flag: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string {
  return flag ?? env.OHTW_DATA_DIR ?? defaultDataDir(env);
}
