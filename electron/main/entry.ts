import { cliArguments, runInstalledCli } from './cliMode';

/**
 * The main process's entry. Started as the command line (the installed `ohtw` launcher), it runs the CLI and never
 * loads Electron's window code; otherwise it starts the desktop app.
 */
const cliArgs = cliArguments(process.argv);
if (cliArgs === null) {
  void import('./index');
} else {
  runInstalledCli(cliArgs, __dirname);
}
