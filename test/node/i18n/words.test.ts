import { describe, expect, it } from 'vitest';

import { CHECK_MODULES } from '../../../electron/core/diagnostics/modules';
import { SIM_FAULTS } from '../../../electron/sim/simFaults';
import type { CheckResult } from '../../../shared/domain/health';
import { formatNumber, sayParts, sayText, type Said, type SaidValue } from '../../../shared/domain/said';
import { checkMessage, WORDS } from '../../../shared/domain/words';
import { simVehicle, sweepSim } from '../../support/sim/simSweep';

const placeholders = (template: string): string[] =>
  [...template.matchAll(/\{(\w+)(?::\d)?(?:#[^}]*)?\}/g)].map((m) => m[1] ?? '').sort();

/** Every message id a said value uses, nested ones included. */
function keysOf(value: SaidValue | undefined): string[] {
  if (value === undefined || typeof value === 'string' || typeof value === 'number') {
    return [];
  }
  if ('raw' in value || 'at' in value || 'text' in value) {
    return [];
  }
  if ('list' in value) {
    return value.list.flatMap(keysOf);
  }
  return [value.key, ...Object.values(value.params ?? {}).flatMap(keysOf)];
}

const flat = (checks: readonly CheckResult[]): CheckResult[] => checks.flatMap((c) => [c, ...flat(c.children ?? [])]);

describe('the words of every message', () => {
  it('has both languages with the same placeholders, and Vietnamese that is not the English copied', () => {
    for (const [key, template] of Object.entries(WORDS)) {
      expect(template.en.trim(), key).not.toBe('');
      expect(template.vi.trim(), key).not.toBe('');
      expect(placeholders(template.vi), key).toEqual(placeholders(template.en));
      // A template made only of placeholders and punctuation says the same in both; any word must be translated.
      const words = template.en.replace(/\{[^}]*\}/g, '').replace(/\b(HTTP|GiB|MiB|KiB)\b/g, '');
      if (/[A-Za-z]{3,}/.test(words)) {
        expect(template.vi, key).not.toBe(template.en);
      }
    }
  });

  it('says a message with its parameters: numbers by locale, plurals, lists, moments and vehicle text apart', () => {
    const words = {
      m: {
        en: '{n#error|errors} in {s:1} s; {list}; at {at}; {raw}',
        vi: '{n} lỗi trong {s:1} s; {list}; lúc {at}; {raw}',
      },
      item: { en: 'item {x}', vi: 'mục {x}' },
    };
    const said: Said = {
      key: 'm',
      params: {
        n: 1,
        s: 2.25,
        list: { list: [{ key: 'item', params: { x: 'a' } }, 'b'], by: ' / ' },
        at: { at: '2026-12-07T14:50:09Z' },
        raw: { raw: 'Connection refused' },
      },
    };
    const en = sayText(said, 'en', words);
    expect(en).toMatch(/^1 error in 2\.3 s; item a \/ b; at 2026-12-0\d \d\d:\d\d; Connection refused$/);
    expect(sayText({ ...said, params: { ...said.params, n: 3 } }, 'en', words)).toMatch(/^3 errors/);
    expect(sayText(said, 'vi', words)).toMatch(/^1 lỗi trong 2,3 s; mục a \/ b; lúc 2026-12-0\d \d\d:\d\d; /);
    expect(sayParts(said, 'vi', words).at(-1)).toEqual({ text: 'Connection refused', raw: true });
    expect(formatNumber(88.5, 'vi')).toBe('88,5');
    expect(formatNumber(1503, 'vi')).toBe('1503');
    // An id this build does not know says the English the core stored with it.
    expect(sayText({ key: 'nothing.like.this' }, 'vi', words, 'stored words')).toBe('stored words');
  });

  it('names only registered ids in the verdicts of a healthy vehicle and of every fault the simulator injects', async () => {
    const used = new Set<string>();
    for (const inject of [() => undefined, ...SIM_FAULTS.map((f) => f.inject)]) {
      const vehicle = simVehicle();
      inject(vehicle);
      for (const check of flat(await sweepSim(vehicle, CHECK_MODULES))) {
        expect(check.say, check.id).toBeDefined();
        keysOf(check.say).forEach((key) => used.add(key));
        // The English the core keeps is the English words of the same message.
        expect(checkMessage(check, 'en'), check.id).toBe(check.message);
        expect(checkMessage(check, 'vi'), check.id).not.toBe(check.message);
      }
    }
    const unknown = [...used].filter((key) => !(key in WORDS));
    expect(unknown).toEqual([]);
    expect(used.size).toBeGreaterThan(80);
  });
});
