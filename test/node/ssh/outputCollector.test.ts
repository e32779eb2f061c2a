import { describe, expect, it } from 'vitest';

import { createOutputCollector } from '../../../electron/core/transport/ssh/outputCollector';

describe('output collector', () => {
  it('keeps everything under the cap untouched', () => {
    const collector = createOutputCollector(10);
    collector.push(Buffer.from('hello'));
    collector.push(Buffer.from('world'));
    expect(collector.text()).toBe('helloworld');
  });

  it('keeps the first bytes and notes how many were dropped', () => {
    const collector = createOutputCollector(8);
    collector.push(Buffer.from('abcde'));
    collector.push(Buffer.from('fghij'));
    collector.push(Buffer.from('klm'));
    expect(collector.text()).toBe('abcdefgh\n[output truncated: kept the first 8 bytes, dropped 5 more]\n');
  });

  it('decodes characters split across chunks', () => {
    const euro = Buffer.from('€');
    const collector = createOutputCollector();
    collector.push(euro.subarray(0, 1));
    collector.push(euro.subarray(1));
    expect(collector.text()).toBe('€');
  });
});
