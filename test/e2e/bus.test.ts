import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CallOutput } from '../../shared/ipc/contract';
import type { SerialPortView } from '../../shared/ipc/contracts/rs485';
import type { TestPage } from '../support/e2e/chromium';
import { screenshotPath } from '../support/e2e/paths';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';

/** Reads a data-* attribute of the first element with the test id, in the page (null when absent). */
function attribute(page: Page, testId: string, name: string): Promise<string | null> {
  return page.evaluate(
    ([id, attr]) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute(attr!) ?? null,
    [testId, name],
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A CH340 USB-RS485 adapter as the core lists one; no USB adapter is plugged into the test machine. */
const CH340_PORT: SerialPortView = {
  path: '/dev/ttyUSB7',
  vidPid: '1a86:7523',
  vendorId: '1a86',
  productId: '7523',
  manufacturer: 'QinHeng Electronics',
  serialNumber: 'A1B2C3',
  pnpId: 'usb-1a86_USB_Serial-if00-port0',
  hint: 'CH340 USB-RS485 adapter',
  busId: null,
};

type HostEvent = { name: string; payload: unknown };

/**
 * The bus page against the real core and browser host: a simulated unit over SSH (whose firmware service runs, so
 * the second-master warning is real) and a simulated module bus on a pseudo-terminal pair with E-Stop pressed.
 */
describe('RS485 bus page, against the real core, browser host, a simulated unit and a simulated bus', () => {
  let stack: RealStack;
  let tab: TestPage;
  let page: Page;
  let unitName: string;
  let simPort: string;
  /**
   * The one seam in front of the real core: an adapter can be "plugged in" (added to what rs485.ports answers, and
   * announced by rs485.portsChanged as the core's hot-plug poll would), since the machine has no USB adapter.
   */
  let plugged: SerialPortView[] = [];
  const listeners = new Set<(event: HostEvent) => void>();
  const emit = (event: HostEvent) => listeners.forEach((listener) => listener(event));
  const realPorts = async (): Promise<SerialPortView[]> => {
    const answer = await stack.core.dispatch('rs485.ports', {});
    return answer.ok ? (answer.value as SerialPortView[]) : [];
  };

  beforeAll(async () => {
    stack = await startRealStack({
      tempPrefix: 'ohtw-ui-bus-',
      coreOptions: { env: {} },
      hostBoundary: (core) => ({
        dispatch: async (name, input) => {
          const answer = await core.dispatch(name, input);
          return name === 'rs485.ports' && answer.ok
            ? { ok: true, value: [...(answer.value as SerialPortView[]), ...plugged] }
            : answer;
        },
        subscribe: (listener) => {
          listeners.add(listener);
          const stop = core.events.subscribe(listener);
          return () => {
            listeners.delete(listener);
            stop();
          };
        },
      }),
    });
    unitName = stack.sim.units[0]!.name;
    tab = await stack.newPage();
    page = tab.page;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('warns of the second master and stops the firmware only once the unit name is typed', async () => {
    await page.goto(stack.host.url);
    await visible(byTestId(page, 'fleet-page'));
    await byTestId(page, 'nav-bus').click();
    await visible(byTestId(page, 'bus-page'));
    expect(page.url()).toContain('#/bus');
    await expect(byTestId(page, 'nav-bus').getAttribute('aria-current')).resolves.toBe('page');

    await byTestId(page, 'bus-unit').selectOption(unitName);
    const warning = await visible(byTestId(page, 'second-master-warning'), 30_000);
    await expect(warning.getAttribute('data-hazard')).resolves.toBe('likely');
    await waitForText(warning, /firmware service .* is running/);
    await page.screenshot({ path: screenshotPath('bus-1-second-master'), fullPage: true });

    await byTestId(warning, 'master-stop-firmware').click();
    const dialog = await visible(byTestId(page, 'stop-firmware-dialog'));
    const confirm = byTestId(dialog, 'stop-firmware-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await byTestId(dialog, 'stop-firmware-typed').fill('not-the-unit');
    expect(await confirm.isDisabled()).toBe(true);
    await byTestId(dialog, 'stop-firmware-typed').fill(unitName);
    expect(await confirm.isEnabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('bus-2-stop-firmware-dialog') });
    await confirm.click();
    const result = await visible(byTestId(dialog, 'stop-firmware-result'), 30_000);
    await expect(result.getAttribute('data-stopped')).resolves.toBe('true');
    await byTestId(dialog, 'stop-firmware-done').click();
    await page.locator('[data-testid="master-settled"][data-decision="stopped"]').waitFor({ timeout: 30_000 });
    expect(await byTestId(page, 'second-master-warning').count()).toBe(0);
    // How to start the firmware again stays on the page until the work is done.
    await waitForText(byTestId(page, 'master-undo'), /systemctl start oht50-firmware/);
  }, 90_000);

  it('lists a CH340 adapter when it is plugged in, labelled, and drops it when it is pulled out', async () => {
    expect(await page.locator('[data-testid="port-row"][data-path="/dev/ttyUSB7"]').count()).toBe(0);
    plugged = [CH340_PORT];
    emit({
      name: 'rs485.portsChanged',
      payload: { kind: 'added', port: CH340_PORT, ports: [...(await realPorts()), CH340_PORT] },
    });
    const row = await visible(page.locator('[data-testid="port-row"][data-path="/dev/ttyUSB7"]'));
    await waitForText(byTestId(row, 'port-ch340'), 'CH340');
    await waitForText(row, '1a86:7523');
    await waitForText(row, 'QinHeng Electronics');
    await waitForText(row, 'A1B2C3');
    await page.locator('[data-testid="bus-notice"][data-kind="port-added"]').waitFor();
    // The adapter just plugged in is the one the technician means to use.
    await expect(byTestId(row, 'port-choose').isChecked()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('bus-1b-ch340-plugged') });

    plugged = [];
    emit({ name: 'rs485.portsChanged', payload: { kind: 'removed', port: CH340_PORT, ports: await realPorts() } });
    await page.locator('[data-testid="port-row"][data-path="/dev/ttyUSB7"]').waitFor({ state: 'detached' });
    await page.locator('[data-testid="bus-notice"][data-kind="port-removed"]').waitFor();
    await waitForText(byTestId(page, 'connect-hint'), 'Choose a port first.');
  }, 60_000);

  it('starts a simulated bus with E-Stop pressed, connects and scans it with progress', async () => {
    await byTestId(page, 'sim-fault-estop').check();
    await byTestId(page, 'sim-start').click();
    const sim = await visible(byTestId(page, 'sim-item'));
    simPort = (await sim.getAttribute('data-port')) ?? '';
    expect(simPort).not.toBe('');
    // The simulated port is listed with the adapters and chosen for the technician.
    const row = page.locator(`[data-testid="port-row"][data-path="${simPort}"]`);
    await expect(byTestId(row, 'port-choose').isChecked()).resolves.toBe(true);

    // Before taking the bus, the port can be listened to without sending (another master's traffic).
    const listen = await visible(page.locator('[data-testid="bus-monitor"][data-kind="listen"]'));
    await byTestId(listen, 'monitor-start').click();
    await page.locator('[data-testid="bus-monitor"][data-kind="listen"][data-running="true"]').waitFor();
    await waitForText(byTestId(listen, 'monitor-empty'), /frames appear here/);
    const monitors = await stack.core.dispatch('rs485.monitor.list', {});
    expect(monitors.ok).toBe(true);
    const listening = (monitors.ok ? monitors.value : []) as CallOutput<'rs485.monitor.list'>;
    expect(listening.map((m) => [m.kind, m.port, m.running])).toEqual([['listen', simPort, true]]);
    await byTestId(listen, 'monitor-stop').click();
    await page.locator('[data-testid="bus-monitor"][data-kind="listen"][data-running="false"]').waitFor();

    // Bus settings are checked before anything opens the port.
    await byTestId(page, 'settings-timeoutMs').fill('0');
    await byTestId(page, 'connect-button').click();
    await visible(byTestId(page, 'settings-invalid'));
    expect(await byTestId(page, 'held-bus').count()).toBe(0);
    await byTestId(page, 'settings-timeoutMs').fill('1000');
    await byTestId(page, 'settings-retries').fill('1');
    await byTestId(page, 'settings-gapMs').fill('2');

    await byTestId(page, 'connect-button').click();
    await page.locator(`[data-testid="held-bus"][data-port="${simPort}"]`).waitFor();
    // Held, the bus is a workspace: the ports move to their own tab, the scan is in front.
    await expect(byTestId(page, 'bus-tab-scan').getAttribute('aria-selected')).resolves.toBe('true');
    await byTestId(page, 'bus-tab-connection').click();
    await page.locator(`[data-testid="port-row"][data-path="${simPort}"][data-held="true"]`).waitFor();
    await byTestId(page, 'bus-tab-scan').click();

    await byTestId(page, 'scan-from').fill('1');
    await byTestId(page, 'scan-to').fill('60');
    await byTestId(page, 'scan-button').click();
    // The progress bar moves while the scan runs: sample it until the scan is over.
    const seen: { done: number; total: number }[] = [];
    await visible(byTestId(page, 'scan-progress'));
    while ((await byTestId(page, 'scan-progress').count()) > 0) {
      const done = Number(await attribute(page, 'scan-progress', 'data-done'));
      const total = Number(await attribute(page, 'scan-progress', 'data-total'));
      if (total > 0) {
        seen.push({ done, total });
      }
      await sleep(60);
    }
    expect(seen.some((p) => p.total === 60 && p.done > 0 && p.done < 60)).toBe(true);

    const summary = await visible(byTestId(page, 'scan-summary'));
    await expect(summary.getAttribute('data-found')).resolves.toBe('4');
    const modules = page.locator('[data-testid="module-row"]');
    expect(await modules.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-address')))).toEqual([
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(await modules.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')))).toEqual([
      'power',
      'safety',
      'travel',
      'dock',
    ]);
    await waitForText(page.locator('[data-testid="module-row"][data-address="3"]'), 'Safety');
    // The safety module reports its own error (E-Stop), in hex.
    await waitForText(
      page.locator('[data-testid="module-row"][data-address="3"] [data-testid="module-error"]'),
      '0x0003',
    );
  }, 90_000);

  it('shows a module’s decoded registers refreshing live, and pauses them', async () => {
    // The side list holds the scanned modules; choosing one brings its registers to the front.
    await page.locator('[data-testid="module-list-item"][data-address="2"]').click();
    await expect(byTestId(page, 'bus-tab-module').getAttribute('aria-selected')).resolves.toBe('true');
    const panel = await visible(page.locator('[data-testid="module-panel"][data-slave="2"]'));
    const pack = await visible(byTestId(panel, 'reg-packVoltage'));
    await waitForText(byTestId(pack, 'reg-value'), /^\d+\.\d V$/);
    await waitForText(byTestId(pack, 'reg-raw'), /^0x[0-9A-F]{4}$/);
    // Access and the safety-critical badge are on show, and bit meanings of a bit field.
    await waitForText(byTestId(panel, 'reg-chargerVoltageSet'), 'safety-critical');
    expect(await byTestId(byTestId(panel, 'reg-packVoltage'), 'safety-critical').count()).toBe(0);
    await waitForText(byTestId(panel, 'reg-faultFlags'), /none set/);

    const reads = async () => Number(await panel.getAttribute('data-reads'));
    const before = await reads();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="module-panel"]')?.getAttribute('data-reads')) > n + 1,
      before,
      { timeout: 15_000 },
    );
    await byTestId(panel, 'module-pause').click();
    await page.locator('[data-testid="module-live"][data-paused="true"]').waitFor();
    await sleep(1_500);
    const paused = await reads();
    await sleep(2_500);
    expect(await reads()).toBe(paused);
    await byTestId(panel, 'module-pause').click();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="module-panel"]')?.getAttribute('data-reads')) > n,
      paused,
      { timeout: 15_000 },
    );
    await page.screenshot({ path: screenshotPath('bus-3-registers'), fullPage: true });
  }, 60_000);

  it('filters a module’s registers and writes their raw words in hex, decimal or signed', async () => {
    const panel = page.locator('[data-testid="module-panel"][data-slave="2"]');
    const total = Number(await byTestId(panel, 'registers-shown').getAttribute('data-total'));
    expect(total).toBeGreaterThan(10);
    await byTestId(panel, 'register-filter').fill('voltage');
    await expect
      .poll(async () => Number(await byTestId(panel, 'registers-shown').getAttribute('data-shown')))
      .toBeLessThan(total);
    const rows = await panel
      .locator('[data-testid="registers-table"] tbody tr')
      .evaluateAll((found) => found.map((row) => [row.getAttribute('data-testid'), row.textContent ?? '']));
    expect(rows.map(([name]) => name)).toContain('reg-packVoltage');
    expect(rows.filter(([, text]) => !/voltage/i.test(text!))).toEqual([]);
    // By address too, in hex as the map writes it.
    await byTestId(panel, 'register-filter').fill('0x0000');
    await expect.poll(() => byTestId(panel, 'registers-shown').getAttribute('data-shown')).toBe('1');
    await byTestId(panel, 'register-filter').fill('no such register');
    await visible(byTestId(panel, 'registers-no-match'));
    await byTestId(panel, 'register-filter').fill('packVoltage');

    const raw = byTestId(byTestId(panel, 'reg-packVoltage'), 'reg-raw');
    await waitForText(raw, /^0x[0-9A-F]{4}$/);
    const hex = Number((await raw.textContent())!.trim());
    await byTestId(panel, 'raw-format-dec').click();
    await expect(byTestId(panel, 'raw-format-dec').getAttribute('aria-checked')).resolves.toBe('true');
    await waitForText(raw, /^\d+$/);
    // Live values move: the decimal is the same word as the hex within the pack's slow drift.
    expect(Math.abs(Number(await raw.textContent()) - hex)).toBeLessThan(500);
    await byTestId(panel, 'register-filter').fill('');
    await byTestId(panel, 'raw-format-hex').click();
    await waitForText(raw, /^0x[0-9A-F]{4}$/);
  }, 60_000);

  it('diagnoses the bus offline: the health tree shows the pressed E-Stop as ERROR', async () => {
    await byTestId(page, 'bus-tab-health').click();
    await byTestId(page, 'bus-diagnose').click();
    const tree = await visible(byTestId(page, 'bus-health-tree'), 30_000);
    await expect(byTestId(page, 'bus-report-level').getAttribute('data-level')).resolves.toBe('ERROR');
    await expect(byTestId(tree, 'check-rs485.offline.safety.estop').getAttribute('data-level')).resolves.toBe('ERROR');
    await waitForText(byTestId(tree, 'check-rs485.offline.safety.estop'), /Emergency stop is pressed/);
    await expect(byTestId(tree, 'check-rs485.offline.safety').getAttribute('data-level')).resolves.toBe('ERROR');
    await expect(byTestId(tree, 'check-rs485.offline.power.battery').getAttribute('data-level')).resolves.toBe('OK');
    // The firmware was stopped here, so the second-master check in the tree is clear.
    await expect(byTestId(tree, 'check-rs485.offline.master').getAttribute('data-level')).resolves.toBe('OK');
    await byTestId(page, 'evidence-toggle-rs485.offline.safety.estop').click();
    await visible(byTestId(page, 'evidence-rs485.offline.safety.estop'));
    await byTestId(page, 'bus-health').screenshot({ path: screenshotPath('bus-4-health') });
  }, 60_000);

  it('monitors the bus: frames with direction, hex, meaning and CRC, exported to a file', async () => {
    await byTestId(page, 'bus-tab-monitor').click();
    await byTestId(page, 'monitor-start').click();
    const monitor = await visible(page.locator('[data-testid="bus-monitor"][data-running="true"]'));
    await page.locator('[data-testid="frame-row"][data-direction="tx"]').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="frame-row"][data-direction="rx"]').first().waitFor({ timeout: 15_000 });
    const firstTx = page.locator('[data-testid="frame-row"][data-direction="tx"]').first();
    await waitForText(firstTx, /02 03 [0-9A-F]{2} [0-9A-F]{2}/);
    await waitForText(firstTx, /slave 2 FC03 read 0x/);
    await expect(firstTx.getAttribute('data-crc')).resolves.toBe('ok');

    // A noisy line shows as frames whose CRC fails, marked as such.
    const sims = await stack.core.dispatch('rs485.sim.list', {});
    const simId = sims.ok ? (sims.value as { simId: string }[])[0]!.simId : '';
    const noisy = await stack.core.dispatch('rs485.sim.setFaults', {
      simId,
      faults: { estopPressed: true, noise: { everyNth: 2 } },
    });
    expect(noisy.ok).toBe(true);
    const bad = page.locator('[data-testid="frame-row"][data-crc="bad"]').first();
    await bad.waitFor({ timeout: 20_000 });
    await waitForText(bad, 'bad');
    expect((await stack.core.dispatch('rs485.sim.setFaults', { simId, faults: { estopPressed: true } })).ok).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(monitor, 'monitor-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^rs485-frames-.*\.csv$/);
    const saved = join(stack.tempDir, 'frames.csv');
    await download.saveAs(saved);
    const csv = await readFile(saved, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('time,direction,bytes,crc,meaning');
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.some((line) => /,tx,02 03 .*,ok,slave 2 FC03 read/.test(line))).toBe(true);
    await visible(byTestId(monitor, 'monitor-exported'));
    // The list on the page stays bounded however long the monitor runs.
    expect(Number(await monitor.getAttribute('data-frames'))).toBeLessThanOrEqual(300);
    await monitor.screenshot({ path: screenshotPath('bus-5-monitor') });
    await byTestId(monitor, 'monitor-stop').click();
    await page.locator('[data-testid="bus-monitor"][data-running="false"]').waitFor();
  }, 60_000);

  it('takes a parameter backup of the bus', async () => {
    await byTestId(page, 'bus-tab-backups').click();
    await byTestId(page, 'backup-note').fill('before the writes');
    await byTestId(page, 'backup-take').click();
    const row = await visible(byTestId(page, 'backup-row'), 30_000);
    await waitForText(row, 'before the writes');
  }, 60_000);

  it('writes a writable register through the plan and confirmation, and refuses a read-only one', async () => {
    await byTestId(page, 'bus-tab-module').click();
    const panel = page.locator('[data-testid="module-panel"][data-slave="2"]');
    await byTestId(panel, 'module-write').click();
    let dialog = await visible(byTestId(page, 'write-dialog'));
    await byTestId(dialog, 'write-register').selectOption('voltageUsageThreshold');
    await byTestId(dialog, 'write-value').fill('0.75');
    await byTestId(dialog, 'write-plan').click();
    const change = await visible(byTestId(dialog, 'write-change'));
    await waitForText(change, /0\.80 \(0x0050\)\s*→\s*0\.75 \(0x004B\)/);
    const apply = byTestId(dialog, 'write-apply');
    expect(await apply.isDisabled()).toBe(true);
    expect(await byTestId(dialog, 'write-confirm-safety').count()).toBe(0);
    await byTestId(dialog, 'write-confirm').check();
    expect(await apply.isEnabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('bus-6-write-plan') });
    await apply.click();
    const result = await visible(byTestId(dialog, 'write-result'), 15_000);
    await expect(result.getAttribute('data-outcome')).resolves.toBe('ok');
    await waitForText(byTestId(dialog, 'write-readback'), /voltageUsageThreshold = 0\.75 \(raw 0x004B\)/);
    await byTestId(dialog, 'write-close').click();
    await waitForText(byTestId(byTestId(panel, 'reg-voltageUsageThreshold'), 'reg-raw'), '0x004B');

    // A safety-critical register needs the second confirmation as well.
    await byTestId(byTestId(panel, 'reg-chargerVoltageSet'), 'reg-write').click();
    dialog = await visible(byTestId(page, 'write-dialog'));
    await expect(byTestId(dialog, 'write-register').inputValue()).resolves.toBe('chargerVoltageSet');
    await byTestId(dialog, 'write-value').fill('24.5');
    await byTestId(dialog, 'write-plan').click();
    await waitForText(byTestId(dialog, 'write-change'), /25\.2 V.*→\s*24\.5 V/);
    await byTestId(dialog, 'write-confirm').check();
    expect(await byTestId(dialog, 'write-apply').isDisabled()).toBe(true);
    await byTestId(dialog, 'write-confirm-safety').check();
    await byTestId(dialog, 'write-apply').click();
    await expect((await visible(byTestId(dialog, 'write-result'), 15_000)).getAttribute('data-outcome')).resolves.toBe(
      'ok',
    );
    await byTestId(dialog, 'write-close').click();

    // A read-only register is refused at the plan: no write is offered at all.
    await byTestId(panel, 'module-write').click();
    dialog = await visible(byTestId(page, 'write-dialog'));
    await byTestId(dialog, 'write-register').selectOption('packVoltage');
    await byTestId(dialog, 'write-value').fill('20');
    await byTestId(dialog, 'write-plan').click();
    await waitForText(byTestId(dialog, 'write-refused'), /read-only/);
    expect(await byTestId(dialog, 'write-apply').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('bus-7-write-refused') });
    // Escape closes the dialog, as any dialog does.
    await page.keyboard.press('Escape');
    await byTestId(page, 'write-dialog').waitFor({ state: 'detached' });

    // Clearing errors is one click to a planned write of 0x0109, through the same confirmations.
    await byTestId(panel, 'module-clear-errors').click();
    dialog = await visible(byTestId(page, 'write-dialog'));
    await waitForText(byTestId(dialog, 'write-plan-view'), /0x0109/);
    await byTestId(dialog, 'write-confirm').check();
    await byTestId(dialog, 'write-confirm-safety').check();
    await byTestId(dialog, 'write-apply').click();
    await expect((await visible(byTestId(dialog, 'write-result'), 15_000)).getAttribute('data-outcome')).resolves.toBe(
      'ok',
    );
    await byTestId(dialog, 'write-close').click();
  }, 90_000);

  it('plans a restore of the backup as a diff and writes it back once confirmed', async () => {
    await byTestId(page, 'bus-tab-backups').click();
    await byTestId(byTestId(page, 'backup-row').first(), 'backup-restore').click();
    const dialog = await visible(byTestId(page, 'restore-dialog'));
    const plan = await visible(byTestId(dialog, 'restore-plan'), 30_000);
    await expect(plan.getAttribute('data-differences')).resolves.toBe('2');
    await waitForText(byTestId(dialog, 'restore-diff').first(), /→/);
    await byTestId(dialog, 'restore-confirm').check();
    // chargerVoltageSet is safety-critical: the restore waits for the second confirmation too.
    expect(await byTestId(dialog, 'restore-apply').isDisabled()).toBe(true);
    await byTestId(dialog, 'restore-confirm-safety').check();
    await page.screenshot({ path: screenshotPath('bus-8-restore') });
    await byTestId(dialog, 'restore-apply').click();
    const results = await visible(byTestId(dialog, 'restore-results'), 30_000);
    expect(
      await results.locator('li').evaluateAll((items) => items.map((i) => i.getAttribute('data-outcome'))),
    ).toEqual(['ok', 'ok']);
    await page.keyboard.press('Escape');
    await byTestId(page, 'bus-tab-module').click();
    const panel = page.locator('[data-testid="module-panel"][data-slave="2"]');
    await waitForText(byTestId(byTestId(panel, 'reg-voltageUsageThreshold'), 'reg-raw'), '0x0050');
  }, 60_000);

  it('reads in Vietnamese, then releases the bus so the port is free for other tools', async () => {
    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(page.locator('.page__title'), 'Bus RS485');
    await waitForText(byTestId(page, 'release-button'), 'Nhả cổng');
    await page.screenshot({ path: screenshotPath('bus-9-vi'), fullPage: true });
    await byTestId(page, 'lang-switch').selectOption('en');

    await byTestId(page, 'release-button').click();
    await page.locator('[data-testid="bus-notice"][data-kind="released"]').waitFor();
    await visible(byTestId(page, 'bus-none'));
    expect(await byTestId(page, 'held-bus').count()).toBe(0);
    await page.locator(`[data-testid="port-row"][data-path="${simPort}"][data-held="false"]`).waitFor();
    await page.screenshot({ path: screenshotPath('bus-10-released'), fullPage: true });
    const buses = await stack.core.dispatch('rs485.buses', {});
    expect(buses.ok && buses.value).toEqual([]);
    // Free means another master can open it now.
    const again = await stack.core.dispatch('rs485.connect', { port: simPort, settings: {} });
    expect(again.ok).toBe(true);
    if (again.ok) {
      const { busId } = again.value as { busId: string };
      expect((await stack.core.dispatch('rs485.release', { busId })).ok).toBe(true);
    }

    expect(tab.problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  }, 60_000);

  it('shows the settings a bus was connected with, and asks the missing modules again with them', async () => {
    // A bus connected elsewhere (the demo, another face) with its own settings: the page follows it and its form
    // shows what the connection uses, which is what a scan from the page uses.
    const started = await stack.core.dispatch('rs485.sim.start', { faults: { missing: ['dock'] }, connect: true });
    expect(started.ok).toBe(true);
    const { sim, bus } = (started.ok ? started.value : {}) as CallOutput<'rs485.sim.start'>;
    const diagnosed = await stack.core.dispatch('rs485.diagnose', { busId: bus!.busId });
    expect(diagnosed.ok).toBe(true);
    await page.goto(stack.host.url);
    await byTestId(page, 'nav-bus').click();
    await page.locator(`[data-testid="held-bus"][data-port="${sim.port}"][data-current="true"]`).waitFor();
    await byTestId(page, 'bus-tab-connection').click();
    const field = (name: string) => byTestId(page, `settings-${name}`).inputValue();
    expect([await field('timeoutMs'), await field('retries'), await field('gapMs')]).toEqual([
      String(bus?.settings.timeoutMs),
      String(bus?.settings.retries),
      String(bus?.settings.gapMs),
    ]);

    await byTestId(page, 'bus-tab-scan').click();
    await byTestId(page, 'scan-from').fill('1');
    await byTestId(page, 'scan-to').fill('8');
    await byTestId(page, 'scan-button').click();
    const missing = await visible(byTestId(page, 'scan-expected-missing'));
    await waitForText(missing, /Expected but not found: 5 \(Dock/);
    await waitForText(
      byTestId(missing, 'scan-thorough'),
      `${bus?.settings.timeoutMs} ms, ${bus?.settings.retries} retries`,
    );
    await byTestId(missing, 'scan-thorough').click();
    await visible(byTestId(page, 'scan-progress'));
    await byTestId(page, 'scan-progress').waitFor({ state: 'detached' });
    // Asked again with the bus's own timeout and retries: still not there.
    await waitForText(byTestId(page, 'scan-expected-missing'), /Expected but not found: 5 \(Dock/);
    await expect(byTestId(page, 'scan-summary').getAttribute('data-found')).resolves.toBe('3');
    // Its diagnosis from elsewhere is on show, not "not diagnosed yet".
    await byTestId(page, 'bus-tab-health').click();
    const meta = await visible(byTestId(page, 'bus-report-meta'));
    await expect(meta.getAttribute('data-run-id')).resolves.toBe(
      diagnosed.ok ? (diagnosed.value as CallOutput<'rs485.diagnose'>).runId : '',
    );
    expect(await byTestId(page, 'bus-no-report').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('bus-11-thorough'), fullPage: true });

    await stack.core.dispatch('rs485.sim.stop', { simId: sim.simId });
    expect(tab.problems).toEqual([]);
    expect(stack.loggedErrors()).toEqual([]);
  }, 60_000);
});
