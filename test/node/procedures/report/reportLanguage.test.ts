import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { StepAnswer } from '../../../../shared/ipc/contracts/procedureRuns';
import { startSimCore, type SimCore } from '../../../support/sim/simCore';

/*
 * The signed procedure report in the technician's language: a run on a simulated unit taken through reads, a manual
 * step with a note, actions behind a live gate and a decision, printed in Vietnamese and in English.
 */

/**
 * The report's words as a reader meets them, without what is quoted as printed (output, commands, the vehicle's) or
 * marked as English on purpose (the procedure's English title under the Vietnamese one, the file it came from).
 */
function readable(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<(pre|code|q)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<span[^>]*lang="en"[^>]*>[\s\S]*?<\/span>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

describe('the procedure report in both languages', () => {
  let stack: SimCore;
  let runId: string;

  beforeAll(async () => {
    stack = await startSimCore({ tempPrefix: 'ohtw-report-language-' });
    const unit = stack.sim.units[0]!;
    unit.vehicle.crashService('firmware');
    const run = await stack.api.call('procedures.start', { procedureId: 'emergency.system-down', units: [unit.name] });
    runId = run.runId;
    const answers: [string, StepAnswer][] = [
      ['intro', { kind: 'ack' }],
      ['vehicle-safe', { kind: 'manual', confirmed: true, note: 'xe đã khóa' }],
      ['stop-backend', { kind: 'confirm' }],
      ['stop-firmware', { kind: 'confirm' }],
      ['status-backend', { kind: 'run' }],
      ['status-firmware', { kind: 'run' }],
      ['logs-backend', { kind: 'confirm' }],
      ['logs-firmware', { kind: 'confirm' }],
      ['cause', { kind: 'decision', option: 'restart' }],
    ];
    for (const [stepId, answer] of answers) {
      await stack.api.call('procedures.run.step', { runId, stepId, answer });
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('says labels, outcomes, gate readings and the decision in Vietnamese when asked', async () => {
    const report = await stack.api.call('procedures.report', { runId, format: 'html', language: 'vi' });
    expect(report.content).toContain('<html lang="vi">');
    const text = readable(report.content);
    expect(text).toContain('Hệ thống ngừng hoạt động');
    expect(text).toContain('đã đọc');
    expect(text).toContain('đã xác nhận: ');
    expect(report.content).toContain('translate="no">xe đã khóa</q>');
    expect(text).toContain('đã chọn: Khởi động lại');
    expect(text).toMatch(/firmware báo|không đọc được trạng thái firmware/);
    expect(text).toContain('Trạng thái');
    expect(text).toContain('Chưa ký');
    for (const english of ['confirmed', 'chose', 'Not signed', 'State', 'Started', 'not reached', 'the vehicle']) {
      expect(text, english).not.toContain(english);
    }
  });

  it('stays in English otherwise, the same outcomes in English words', async () => {
    const report = await stack.api.call('procedures.report', { runId, format: 'html' });
    expect(report.content).toContain('<html lang="en">');
    const text = readable(report.content);
    expect(text).toContain('chose: Start them again');
    expect(text).toContain('Not signed');
    expect(text).not.toContain('đã chọn');
  });
});
