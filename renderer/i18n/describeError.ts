import { AppError } from '../../shared/errors/AppError';
import { HostUnreachableError } from '../platform/HostUnreachableError';
import type { MessageKey } from './en';

/** What the renderer shows for a failure: a translated line per code, plus what the core actually said. */
export type ErrorView = {
  key: MessageKey;
  /** The core's own words (English); null when it adds nothing to the translated line. */
  detail: string | null;
  /** For VALIDATION: one `path: message` per problem, from the core's details. */
  issues: string[];
};

export function describeError(error: unknown): ErrorView {
  if (error instanceof AppError) {
    const issues = validationIssues(error);
    // The message of a VALIDATION error repeats the issues; show them once, as a list.
    return { key: `error.${error.code}`, detail: issues.length > 0 ? null : error.message, issues };
  }
  if (error instanceof HostUnreachableError) {
    return { key: 'error.UNREACHABLE', detail: error.message, issues: [] };
  }
  return { key: 'error.UNEXPECTED', detail: error instanceof Error ? error.message : String(error), issues: [] };
}

function validationIssues(error: AppError): string[] {
  const issues = error.details?.['issues'];
  return Array.isArray(issues) ? issues.filter((issue): issue is string => typeof issue === 'string') : [];
}

/** The first segment of each issue's path (`auth.keyPath: …` → `keyPath`), to mark the fields concerned. */
export function issueFields(issues: string[]): Set<string> {
  const fields = new Set<string>();
  for (const issue of issues) {
    const path = issue.split(':', 1)[0] ?? '';
    const segments = path.split('.');
    const field = segments[0] === 'auth' ? segments[1] : segments[0];
    if (field) {
      fields.add(field);
    }
  }
  return fields;
}
