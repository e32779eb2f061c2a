import { resolveAppLayout } from '../core/paths/appLayout';
import { processIo } from './io';
import { runCli } from './main';

/**
 * The CLI's entry, in the sources (tsx) and as the bundle (dist/cli): the application's layout is resolved here,
 * once, from where this file runs.
 */
function main(): void {
  const layout = resolveAppLayout();
  runCli(process.argv.slice(2), processIo(layout)).then(
    // Exit explicitly once stdout has drained: a lingering socket must never keep a finished command alive.
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(`ohtw: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

main();
