import type { MessageKey } from './en';
import type { MessageParams } from './languages';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/**
 * Who did something, in the reader's language. The core records a technician by name; without one set it records
 * the OS user or "unknown", with a note in English kept in the audit trail, said here in words.
 */
export function actorText(actor: string, t: Translate): string {
  if (actor === 'unknown (technician not set)') {
    return t('actor.unknown');
  }
  const osUser = /^(.+) \(OS user; technician not set\)$/.exec(actor);
  return osUser ? t('actor.osUser', { user: osUser[1] ?? '' }) : actor;
}
