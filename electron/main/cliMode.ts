import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The installed app is also the `ohtw` command line. Its launchers (packaging/bin) run the app's executable with
 * this switch, and the main process then runs the bundled CLI instead of opening a window. Running Electron as
 * plain Node (ELECTRON_RUN_AS_NODE) would do the same, but that fuse is off in the packaged app: anyone able to
 * start the binary could otherwise run arbitrary code as this signed application.
 */
export const CLI_SWITCH = '--ohtw-cli';

/** The CLI's arguments when the app was started as the CLI (everything after the switch), else null. */
export function cliArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf(CLI_SWITCH);
  return at < 0 ? null : argv.slice(at + 1);
}

/** The bundled CLI beside the main process's bundle: <app>/dist/cli/ohtw.cjs next to <app>/dist/electron/main.cjs. */
export function installedCliBundle(mainDir: string): string {
  return join(mainDir, '..', 'cli', 'ohtw.cjs');
}

/**
 * Runs the bundled CLI in this process, as `node ohtw.cjs ARGS…` would: it reads its arguments from process.argv
 * and exits the process itself when the command is done.
 */
export function runInstalledCli(args: readonly string[], mainDir: string): void {
  const bundle = installedCliBundle(mainDir);
  process.argv = [process.execPath, bundle, ...args];
  createRequire(bundle)(bundle);
}
