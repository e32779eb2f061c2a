import { describe, expect, it } from 'vitest';

import { en } from '../../../renderer/i18n/en';
import { vi } from '../../../renderer/i18n/vi';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)[^}]*\}/g)].map((m) => m[1] ?? '').sort();

/** Texts that read the same in both languages: the product's name and words used as is in Vietnamese workshops. */
const KEPT_AS_IS = /^(OHT-50 Workstation|Firmware|E-mail|Shell \{n\})$/;

describe("the faces' dictionaries", () => {
  it('has every English key in Vietnamese and no key English lacks, none empty, with the same placeholders', () => {
    const missing = Object.keys(en).filter((key) => !(key in vi));
    const extra = Object.keys(vi).filter((key) => !(key in en));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    for (const [key, text] of Object.entries(en)) {
      const translated = vi[key as keyof typeof en];
      expect(translated.trim(), key).not.toBe('');
      expect(placeholders(translated), key).toEqual(placeholders(text));
    }
  });

  it('translates every text with words in it rather than copying the English', () => {
    const copied = Object.entries(en)
      .filter(
        ([key, text]) => vi[key as keyof typeof en] === text && /[A-Za-z]{4,}/.test(text.replace(/\{[^}]*\}/g, '')),
      )
      .map(([, text]) => text);
    // Only the product's name and words technicians use as is in Vietnamese may be the same.
    expect(copied.filter((text) => !KEPT_AS_IS.test(text))).toEqual([]);
  });
});
