import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';
import { startPostgres, type PostgresFixture } from '../support/postgres/startPostgres';
import { check, sampleReport, sampleUnit } from '../node/history/fixtures';
import { openLaptop, TEAM_PASSWORD, type Laptop } from '../node/team/teamHarness';

/**
 * A laptop in a team, in Chromium against the real core and browser host and a real PostgreSQL: the header's sync
 * indicator and Sync now, the Fleet page's team view labelled by who and which laptop with Mine / Team, and the
 * logbook naming the laptop a colleague's entry was recorded on.
 */
describe('the team in the browser', () => {
  let pg: PostgresFixture;
  let colleague: Laptop;
  let stack: RealStack;

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.createTeamDatabase('fleet_ui', TEAM_PASSWORD, 'fleet_ui');
    colleague = await openLaptop('b', 'Tran Thi B');
    await colleague.call('team.join', { url, deviceLabel: 'laptop-b' });
    colleague.core.history.addUnit(sampleUnit('unit-b'));
    colleague.core.history.saveDiagnosis(sampleReport('unit-b', '2026-12-01T09:00:00.000Z', [check('clock', 'WARN')]), {
      actor: 'Tran Thi B',
    });
    expect((await colleague.call('team.sync', { wait: true })).result?.ok).toBe(true);

    stack = await startRealStack({
      tempPrefix: 'ohtw-team-e2e-',
      simUnits: 0,
      coreOptions: { actor: 'Nguyen Van A', env: { ...process.env, OHTW_TEAM_PASSWORD: TEAM_PASSWORD } },
      beforeHost: async ({ core }) => {
        core.history.addUnit(sampleUnit('unit-a'));
        core.history.saveDiagnosis(sampleReport('unit-a', '2026-12-02T08:00:00.000Z', [check('clock', 'OK')]), {
          actor: 'Nguyen Van A',
        });
        const joined = await core.dispatch('team.join', { url, deviceLabel: 'laptop-a' });
        expect(joined.ok).toBe(true);
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await colleague?.close();
    await pg?.stop();
  });

  it("syncs from the header and shows the colleague's units and entries labelled by who and which laptop", async () => {
    const { page, problems } = await stack.newPage();
    await page.goto(stack.host.url);
    const indicator = await visible(byTestId(page, 'team-sync'));
    expect(await indicator.textContent()).toContain('Team: laptop-a');
    await waitForText(byTestId(page, 'team-sync-state'), 'never synced');

    await byTestId(page, 'team-sync-now').click();
    await waitForText(byTestId(page, 'team-sync-state'), /^synced/);
    const rows = byTestId(page, 'team-fleet-row');
    await waitForText(page.locator('[data-testid="team-fleet-row"][data-unit="unit-b"]'), 'Tran Thi B on laptop-b');
    expect(await rows.count()).toBe(2);
    expect(await page.locator('[data-unit="unit-a"] [data-testid="team-fleet-visit"]').textContent()).toContain(
      'Nguyen Van A on this laptop',
    );
    await page.screenshot({ path: screenshotPath('team-fleet'), fullPage: true });

    // On a 1024×600 laptop the header stays one row with Sync now and the language switch inside the window, and a
    // team unit's name is read whole.
    await page.setViewportSize({ width: 1024, height: 600 });
    for (const id of ['team-sync-now', 'lang-switch']) {
      const box = await byTestId(page, id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.x + box!.width, `${id} inside the window`).toBeLessThanOrEqual(1024);
    }
    const name = page.locator('[data-testid="team-fleet-row"][data-unit="unit-b"] th');
    expect(
      await name.evaluate((cell) => cell.getClientRects().length > 0 && cell.scrollWidth <= cell.clientWidth),
    ).toBe(true);
    expect(await name.evaluate((cell) => getComputedStyle(cell).textTransform)).toBe('none');
    await page.setViewportSize({ width: 1366, height: 768 });

    await byTestId(page, 'team-origin-mine').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-unit')).toBe('unit-a');
    await byTestId(page, 'team-origin-team').click();
    await expect.poll(() => rows.count()).toBe(2);

    await byTestId(page, 'nav-logbook').click();
    await visible(byTestId(page, 'logbook-page'));
    await byTestId(page, 'filter-unit').selectOption('unit-b');
    await waitForText(byTestId(page, 'logbook-laptop').first(), 'on laptop-b');
    await byTestId(page, 'filter-origin').selectOption('mine');
    await expect.poll(() => byTestId(page, 'logbook-laptop').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
