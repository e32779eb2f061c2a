import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { WORDS } from '../../shared/domain/words';
import { en } from '../../renderer/i18n/en';
import type { TestPage } from '../support/e2e/chromium';
import { startRealStack, type RealStack } from '../support/e2e/realStack';
import { byTestId, visible, waitForText } from '../support/e2e/ui';

/*
 * Every page in Vietnamese, on the real core with a unit whose firmware crashed and a procedure run some steps in: no
 * English word and no message key may be on screen. Text the vehicle printed (evidence, journals, a status word, a
 * command line) and the technician's own notes are marked in the page as not to be translated (translate="no" on the
 * quoted part of a sentence, <pre>, <code>) and left out, as are the product's own names and units. Nothing else is
 * allowed: there is no list of English tolerated.
 */

/** English words that never occur in Vietnamese text, even without its accents. */
const ENGLISH = new Set(
  (
    'the and with this that these those from your you not has have are is was were will would should could been ' +
    'which what when where why how there their then than into onto about after before because while only also ' +
    'of for by or if it its be as at some any each every other more most less such over under again once here ' +
    'check checks service services running stopped failed run step steps found finding findings show ' +
    'open start stop restart save saved cancel confirm back next previous none never yet last first new add ' +
    'diagnose diagnosis history backup backups restore report reports settings procedure procedures fleet ' +
    'loading error errors warning healthy down answer answers answered reading read write'
  ).split(' '),
);
/** Names the product keeps in both languages: brands, protocols, levels, units of measure. */
const KEPT =
  /^(OHT-?50|OHT|RS485|RS-485|SSH|USB|Modbus|RTU|OK|WARN|ERROR|STALE|E-Stop|PDF|CSV|JSON|HTML|API|CPU|RAM|GiB|MiB|KiB|ms|s|ohtw|sim-\d+|firmware|backend|journal|sudo|systemd|Bus)$/;
/** The message keys of the faces and of the core's words: one shown in place of its text is a missing translation. */
const KEYS = new Set([...Object.keys(en), ...Object.keys(WORDS)]);

/** The visible text of the page that a reader reads as words, without what is marked translate="no". */
async function readableText(tab: TestPage): Promise<string[]> {
  return tab.page.evaluate(() => {
    const out: string[] = [];
    const skip = (el: Element | null): boolean =>
      el !== null &&
      (el.closest('[translate="no"], pre, code, script, style, .mono, time, input, textarea, select, option') !==
        null ||
        (el as HTMLElement).offsetParent === null);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      if (text !== '' && !skip(node.parentElement)) {
        out.push(text);
      }
    }
    for (const el of Array.from(document.querySelectorAll('[aria-label], [title], [placeholder]'))) {
      if (!skip(el) || el.matches('input, textarea, select')) {
        for (const name of ['aria-label', 'title', 'placeholder']) {
          const value = el.getAttribute(name);
          if (value) {
            out.push(value);
          }
        }
      }
    }
    return out;
  });
}

function englishIn(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const token of text.match(/[a-z][\w-]*(\.[\w-]+)+/g) ?? []) {
      if (KEYS.has(token)) {
        found.add(`missing key ${token}: ${text}`);
      }
    }
    // Ids, paths and addresses (services.firmware, /api/v1/health, :8081) are names, not words.
    const named = text.replace(/\S*[./:]\S*/g, ' ');
    const words = named.split(/[^\p{L}\p{N}'-]+/u).filter((w) => w !== '' && !KEPT.test(w));
    if (words.some((w) => ENGLISH.has(w.toLowerCase()))) {
      found.add(text);
    }
  }
  return [...found];
}

describe('every page in Vietnamese', () => {
  let stack: RealStack;

  beforeAll(async () => {
    stack = await startRealStack({ tempPrefix: 'ohtw-vietnamese-e2e-' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('shows no English word and no message key on any page', async () => {
    const unit = stack.sim.units[0]!;
    unit.vehicle.crashService('firmware');
    expect(await stack.core.dispatch('diagnostics.run', { names: [unit.name] })).toMatchObject({ ok: true });
    const started = (await stack.core.dispatch('procedures.start', {
      procedureId: 'emergency.system-down',
      units: [unit.name],
    })) as { ok: true; value: { runId: string } };
    expect(started.ok).toBe(true);
    const runId = started.value.runId;
    // A run with history: read, confirmed with a note, an action's gates read, one step skipped with a reason.
    const step = async (stepId: string, answer: Record<string, unknown>) =>
      expect(await stack.core.dispatch('procedures.run.step', { runId, stepId, answer })).toMatchObject({ ok: true });
    await step('intro', { kind: 'ack' });
    await step('vehicle-safe', { kind: 'manual', confirmed: true, note: 'đã khóa xe' });
    await step('stop-backend', { kind: 'gates' });
    await step('stop-backend', { kind: 'confirm' });

    const tab = await stack.newPage();
    const { page, problems } = tab;
    await page.goto(stack.host.url);
    await visible(byTestId(page, 'fleet-page'));
    await byTestId(page, 'lang-switch').selectOption('vi');
    await waitForText(byTestId(page, 'nav-fleet'), 'Đội xe');

    const pages: Record<string, string> = {
      fleet: '#/',
      add: '#/add',
      unit: `#/unit/${unit.name}`,
      'unit/telemetry': `#/unit/${unit.name}/telemetry`,
      'unit/history': `#/unit/${unit.name}/history`,
      'unit/backups': `#/unit/${unit.name}/backups`,
      'unit/runs': `#/unit/${unit.name}/runs`,
      recover: `#/recover/${unit.name}/services.firmware/emergency.system-down`,
      procedures: '#/procedures',
      procedure: '#/procedures/emergency.system-down',
      run: `#/run/${runId}`,
      report: `#/run/${runId}/report`,
      backups: '#/backups',
      unitBackups: `#/backups/${unit.name}`,
      restore: `#/backups/${unit.name}/restore`,
      siteReport: '#/reports/site',
      logbook: '#/logbook',
      serviceRecord: `#/unit/${unit.name}/record`,
      bus: '#/bus',
      settings: '#/settings',
    };
    // Pages that draw their content after a call of their own: read only once it is there.
    const READY: Record<string, string> = { serviceRecord: 'record-health' };
    const english: string[] = [];
    for (const [name, hash] of Object.entries(pages)) {
      await page.goto(`${stack.host.url}${hash}`);
      // Settled: the page's own loading is over (nothing busy, no "loading" line left).
      await page.waitForFunction(
        () => document.querySelector('[aria-busy="true"], [data-loading], .loading') === null,
        undefined,
        { timeout: 15_000 },
      );
      const ready = READY[name];
      if (ready !== undefined) {
        await visible(byTestId(page, ready));
      }
      english.push(...englishIn(await readableText(tab)).map((text) => `${name}: ${text}`));
    }
    expect(english).toEqual([]);
    expect(problems).toEqual([]);
  });
});
