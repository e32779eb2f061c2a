import { AppError } from '../../../../../shared/errors/AppError';
import type { Clock } from '../../../ports/Clock';
import type { NewEvidence } from '../runStore';

const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

type Attachment = { name: string; mediaType: string; contentBase64: string };

/** Whether a step's attachment rule (none, optional, required) allows this many attachments. */
export function checkAttachments(stepId: string, rule: 'none' | 'optional' | 'required', count: number): void {
  if (rule === 'required' && count === 0) {
    throw new AppError('VALIDATION', `step "${stepId}" needs an attachment (a photo or a file)`);
  }
  if (rule === 'none' && count > 0) {
    throw new AppError('VALIDATION', `step "${stepId}" takes no attachment`);
  }
}

/** A note and the attachments given with an answer, as evidence stored with its attempt. */
export function evidenceOf(
  note: string,
  attachments: readonly Attachment[],
  actor: string,
  clock: Clock,
): NewEvidence[] {
  const addedAt = clock.nowIso();
  const items: NewEvidence[] = [];
  if (note !== '') {
    items.push({
      kind: 'note',
      name: 'note',
      mediaType: 'text/plain; charset=utf-8',
      content: Buffer.from(note, 'utf8'),
      addedBy: actor,
      addedAt,
    });
  }
  for (const attachment of attachments) {
    const content = Buffer.from(attachment.contentBase64, 'base64');
    if (content.length > MAX_ATTACHMENT_BYTES) {
      throw new AppError('VALIDATION', `attachment ${attachment.name} is larger than 10 MiB`);
    }
    items.push({
      kind: 'attachment',
      name: attachment.name,
      mediaType: attachment.mediaType,
      content,
      addedBy: actor,
      addedAt,
    });
  }
  return items;
}
