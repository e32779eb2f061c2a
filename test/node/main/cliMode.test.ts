import { describe, expect, it } from 'vitest';

import { CLI_SWITCH, cliArguments, installedCliBundle } from '../../../electron/main/cliMode';

describe("the desktop app's command-line mode", () => {
  it('takes everything after the switch as the CLI arguments, Chromium switches before it left out', () => {
    expect(
      cliArguments(['/opt/app/oht50-workstation', '--ozone-platform=headless', CLI_SWITCH, 'diagnose', '--json']),
    ).toEqual(['diagnose', '--json']);
    expect(cliArguments(['/opt/app/oht50-workstation', CLI_SWITCH])).toEqual([]);
  });

  it('is the desktop app when the switch is absent, even with a CLI word on the line', () => {
    expect(cliArguments(['/opt/app/oht50-workstation'])).toBeNull();
    expect(cliArguments(['/opt/app/oht50-workstation', 'diagnose', '--ohtw'])).toBeNull();
  });

  it('finds the bundled CLI beside the main process bundle', () => {
    expect(installedCliBundle('/opt/app/resources/app.asar/dist/electron')).toBe(
      '/opt/app/resources/app.asar/dist/cli/ohtw.cjs',
    );
  });
});
