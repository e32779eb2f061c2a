import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { nodeAt } from '../../electron/sim/simTree';
import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';

/**
 * The demo's path, in Chromium, against the real core and a simulated unit: the restore wizard of a unit without
 * backups offers "Back up now" and makes the first; the unit's files change; the wizard shows the dry run, restores
 * and commits, and the simulated vehicle's files, owners and modes are back. A partial backup is marked and lists
 * what it left out; a backup is saved into a folder of this computer.
 */
describe('backup and restore of a simulated unit in the UI', () => {
  let stack: RealStack;

  beforeAll(async () => {
    stack = await startRealStack({
      tempPrefix: 'ohtw-backup-sim-ui-',
      simUnits: 1,
      coreOptions: { env: { OHTW_PASSPHRASE: 'sim e2e passphrase', OHTW_RESTORE_SETTLE_MS: '0' } },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('backs up from the empty wizard, then restores a changed unit through the wizard and commits', async () => {
    const { page, problems } = await stack.newPage();
    const unit = stack.sim.units[0]!;
    const { state } = unit.vehicle;
    await page.goto(`${stack.host.url}#/backups/${unit.name}/restore`);
    await visible(byTestId(page, 'restore-no-backups'));
    await byTestId(page, 'restore-backup-now').click();
    await visible(byTestId(page, 'restore-option'), 60_000);
    await page.screenshot({ path: screenshotPath('backup-sim-1-first-backup'), fullPage: true });

    // The technician's week: a safety setting edited, a file added, the backend's secrets opened up.
    const safety = '/etc/oht50/safety_config.yaml';
    const good = state.files[safety];
    state.files[safety] = 'estop_timeout_ms: 999\nmodule_loss_policy: ignore\n';
    state.files['/opt/oht50/config/debug.yaml'] = 'debug: true\n';
    state.fileMeta['/opt/oht50/backend/.env'] = { ...state.fileMeta['/opt/oht50/backend/.env']!, mode: 0o644 };

    await byTestId(page, 'restore-option').first().locator('input').check();
    await byTestId(page, 'restore-review').click();
    const plan = await visible(byTestId(page, 'restore-plan'), 30_000);
    const actions = await plan
      .locator('[data-testid="plan-change"]')
      .evaluateAll((items) => items.map((i) => `${i.getAttribute('data-action')} ${i.getAttribute('data-path')}`));
    expect(actions).toEqual([
      'modify /etc/oht50/safety_config.yaml',
      'modify /opt/oht50/backend/.env',
      'delete /opt/oht50/config/debug.yaml',
    ]);
    await waitForText(byTestId(page, 'restore-verify'), 'Backup verified', 30_000);
    await byTestId(page, 'restore-confirm-name').fill(unit.name);
    await page.screenshot({ path: screenshotPath('backup-sim-2-dry-run'), fullPage: true });
    await byTestId(page, 'restore-run').click();
    const outcome = await visible(byTestId(page, 'restore-outcome'), 120_000).catch(async (error: unknown) => {
      await page.screenshot({ path: screenshotPath('backup-sim-restore-stuck'), fullPage: true });
      throw error;
    });
    expect(await outcome.getAttribute('data-result')).toBe('committed');
    await page.screenshot({ path: screenshotPath('backup-sim-3-committed'), fullPage: true });

    expect(state.files[safety]).toBe(good);
    expect(state.files['/opt/oht50/config/debug.yaml']).toBeUndefined();
    expect(nodeAt(unit.vehicle, '/opt/oht50/backend/.env')).toMatchObject({ mode: 0o600, uid: 1001, gid: 1001 });
    expect(problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  }, 300_000);

  it('marks a partial backup, lists what it left out, and saves a backup into a folder', async () => {
    const { page, problems } = await stack.newPage();
    const unit = stack.sim.units[0]!;
    unit.vehicle.state.files['/opt/oht50/config/odd\u001b[31mname.yaml'] = 'x: 1\n';
    await page.goto(`${stack.host.url}#/backups/${unit.name}`);
    await byTestId(page, 'backup-unit-now').click();
    const skipped = await visible(byTestId(page, `backup-skipped-${unit.name}`), 60_000);
    await waitForText(skipped, 'Partial: 1 paths left out');
    await waitForText(byTestId(skipped, 'backup-skipped-path'), '/opt/oht50/config/odd\\u001b[31mname.yaml');
    const newest = (await byTestId(page, 'unit-backup').first().getAttribute('data-backup-id')) ?? '';
    await visible(byTestId(page, `backup-partial-${newest}`));
    await page.screenshot({ path: screenshotPath('backup-sim-4-partial'), fullPage: true });

    await byTestId(page, `save-copy-open-${newest}`).click();
    await byTestId(page, 'save-copy-save').click();
    const saved = await visible(byTestId(page, 'save-copy-result'), 30_000);
    await waitForText(saved, `copies/${newest}`);
    await page.screenshot({ path: screenshotPath('backup-sim-5-saved-copy'), fullPage: true });
    delete unit.vehicle.state.files['/opt/oht50/config/odd\u001b[31mname.yaml'];
    expect(problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  }, 180_000);

  it('copies the backups to a folder from the Backups page, then only what is missing', async () => {
    const { page, problems } = await stack.newPage();
    const folder = await mkdtemp(join(tmpdir(), 'ohtw-replica-ui-'));
    try {
      await page.goto(`${stack.host.url}#/backups`);
      await byTestId(page, 'replica-target').fill(folder);
      await byTestId(page, 'replica-push').click();
      const result = await visible(byTestId(page, 'replica-result'), 60_000);
      await waitForText(result, 'already there');
      const copied = Number(/(\d+) backup\(s\) copied/.exec((await result.textContent()) ?? '')?.[1]);
      expect(copied).toBeGreaterThan(0);
      const manifests = (await readdir(join(folder, 'manifests'))).filter((n) => n.endsWith('.files.jsonl'));
      expect(manifests).toHaveLength(copied);
      await page.screenshot({ path: screenshotPath('backup-sim-6-replica'), fullPage: true });

      await byTestId(page, 'replica-push').click();
      await waitForText(byTestId(page, 'replica-result'), `0 backup(s) copied (0 B), ${copied} already there`);
      expect(problems).toEqual([]);
      expect(stack.loggedErrors()).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
