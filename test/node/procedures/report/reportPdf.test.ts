import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createCore } from '../../../../electron/core/createCore';
import { createLogger } from '../../../../electron/core/ports/Logger';

describe('procedures.reportPdf', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-report-pdf-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says plainly that PDF needs a browser engine when the face has none', async () => {
    const core = await createCore({ dataDir: dir, face: 'cli', logger: createLogger(() => undefined, 'error') });
    try {
      const answer = await core.dispatch('procedures.reportPdf', { runId: 'no-such-run' });
      expect(answer).toMatchObject({ ok: false, error: { code: 'PRECONDITION_FAILED' } });
    } finally {
      await core.close();
    }
  });

  it('prints through the face’s printer only for a run that exists', async () => {
    const printed: string[] = [];
    const core = await createCore({
      dataDir: dir,
      face: 'cli',
      logger: createLogger(() => undefined, 'error'),
      pdfPrinter: {
        printHtmlToPdf: async (html) => {
          printed.push(html);
          return Uint8Array.from(Buffer.from('%PDF-'));
        },
      },
    });
    try {
      const answer = await core.dispatch('procedures.reportPdf', { runId: 'no-such-run' });
      expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(printed).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
