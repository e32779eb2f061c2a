import { processIo } from './io';
import { runCli } from './main';

const code = await runCli(process.argv.slice(2), processIo());
// Exit explicitly once stdout has drained: a lingering socket must never keep a finished command alive.
process.stdout.write('', () => process.exit(code));
