import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';

import { z } from 'zod';

import { StepAnswerSchema, type StepAnswer } from '../../../shared/ipc/contracts/procedureRuns';
import { UsageError } from '../CliError';

/**
 * An answers file (training and tests): the run's parameters, one answer per step id in the contract's StepAnswer
 * shape (an attachment may name a file by `path`, relative to the answers file), and optionally the name to sign
 * with once the run ends. Info and check steps may be left out; every step that needs a person must be there.
 */
const FileAttachmentSchema = z.object({
  name: z.string().min(1).optional(),
  mediaType: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  contentBase64: z.string().optional(),
});
const AnswersFileSchema = z
  .object({
    params: z.record(z.string(), z.string()).default({}),
    steps: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    signature: z.string().trim().min(2).optional(),
  })
  .strict();

export type AnswersFile = { params: Record<string, string>; steps: Record<string, StepAnswer>; signature?: string };

const MEDIA_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.json': 'application/json',
};

export async function readAnswersFile(path: string): Promise<AnswersFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--answers ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = AnswersFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(`--answers ${path}: ${issuesText(parsed.error)}`);
  }
  const steps: Record<string, StepAnswer> = {};
  for (const [stepId, raw] of Object.entries(parsed.data.steps)) {
    const withFiles = await attachFiles(raw, dirname(path), stepId);
    const answer = StepAnswerSchema.safeParse(withFiles);
    if (!answer.success) {
      throw new UsageError(`--answers ${path}: step "${stepId}": ${issuesText(answer.error)}`);
    }
    steps[stepId] = withFiles as StepAnswer;
  }
  return {
    params: parsed.data.params,
    steps,
    ...(parsed.data.signature === undefined ? {} : { signature: parsed.data.signature }),
  };
}

export async function attachFiles(raw: Record<string, unknown>, base: string, stepId: string): Promise<unknown> {
  if (!Array.isArray(raw.attachments)) {
    return raw;
  }
  const attachments = [];
  for (const item of raw.attachments as unknown[]) {
    const file = FileAttachmentSchema.safeParse(item);
    if (!file.success) {
      throw new UsageError(`step "${stepId}": an attachment is {"path": FILE} or {"name", "contentBase64"}`);
    }
    if (file.data.path !== undefined) {
      const full = isAbsolute(file.data.path) ? file.data.path : resolve(base, file.data.path);
      let content: Buffer;
      try {
        content = await readFile(full);
      } catch (error) {
        throw new UsageError(`step "${stepId}": cannot read the attachment ${full} (${(error as Error).message})`);
      }
      attachments.push({
        name: file.data.name ?? basename(full),
        mediaType: file.data.mediaType ?? MEDIA_TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream',
        contentBase64: content.toString('base64'),
      });
    } else {
      attachments.push(item);
    }
  }
  return { ...raw, attachments };
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '$'}: ${i.message}`).join('; ');
}
