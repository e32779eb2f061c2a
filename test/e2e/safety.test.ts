import { RESOURCES_DIR } from '../support/appLayout';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { shippedProceduresDir } from '../../electron/core/procedures/library/ProcedureLibrary';
import type { TestPage } from '../support/e2e/chromium';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';

/**
 * In real Chromium against the real core: the technician's name set once on the Settings page, and a technician's
 * procedure file in place of a shipped one, marked in the library and on its page with what it changes.
 */
describe('the technician and a procedure file in place of a shipped one', () => {
  let stack: RealStack;
  let tab: TestPage | null = null;

  beforeAll(async () => {
    stack = await startRealStack({
      tempPrefix: 'ohtw-safety-ui-',
      simUnits: 0,
      beforeHost: async ({ core }) => {
        const shipped = JSON.parse(
          await readFile(join(shippedProceduresDir(RESOURCES_DIR), 'emergency.estop.json'), 'utf8'),
        ) as {
          title: { en: string; vi: string };
        } & Record<string, unknown>;
        await mkdir(join(core.dataDir, 'procedures'), { recursive: true });
        await writeFile(
          join(core.dataDir, 'procedures', 'emergency.estop.v2.json'),
          JSON.stringify({ ...shipped, version: 2, title: { ...shipped.title, en: 'E-Stop (site A)' } }),
        );
      },
    });
    tab = await stack.newPage();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('says what is recorded while no technician is set, then records the name set on the Settings page', async () => {
    const { page, problems } = tab!;
    await page.goto(stack.host.url);
    await byTestId(page, 'nav-settings').click();
    await waitForText(byTestId(page, 'technician-status'), 'No technician is set');
    await byTestId(page, 'technician-name').fill('Phạm Thị Hoa');
    await byTestId(page, 'technician-save').click();
    await waitForText(byTestId(page, 'technician-status'), 'Phạm Thị Hoa is recorded on every audit row');
    const [row] = stack.core.history.listAudit({ limit: 1 });
    expect(row).toMatchObject({ action: 'settings.technician', actor: 'Phạm Thị Hoa' });
    expect(problems).toEqual([]);
  });

  it('marks the file in the library and shows its changes from the shipped version on the procedure page', async () => {
    const { page, problems } = tab!;
    await page.goto(`${stack.host.url.split('#')[0]}#/procedures`);
    await visible(byTestId(page, 'procedures-page'));
    await waitForText(byTestId(page, 'procedure-supersedes-emergency.estop'), 'in place of shipped v1');
    await byTestId(page, 'procedure-link-emergency.estop').click();
    await waitForText(byTestId(page, 'procedure-supersedes'), 'takes the place of the shipped version 1');
    await waitForText(byTestId(page, 'procedure-changes'), '$.title.en');
    await waitForText(byTestId(page, 'procedure-changes'), 'E-Stop (site A)');
    expect(problems).toEqual([]);
  });
});
