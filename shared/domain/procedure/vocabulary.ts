import { z } from 'zod';

/** The words of the procedure format: categories, step kinds, gate names, profile keys, ids and translated text. */

export const PROCEDURE_CATEGORIES = [
  'emergency',
  'routine',
  'troubleshooting',
  'alerts',
  'security',
  'recovery',
  'escalation',
  'checklist',
] as const;
export const ProcedureCategorySchema = z.enum(PROCEDURE_CATEGORIES);
export type ProcedureCategory = z.infer<typeof ProcedureCategorySchema>;

export const STEP_KINDS = ['info', 'check', 'action', 'manual', 'decision', 'checklist', 'escalate'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * Live preconditions of a mutating step, evaluated just before it runs (and recorded):
 * estop.released: the hardware E-Stop input reads released; vehicle.stopped: the vehicle is not moving;
 * firmware.stopped / backend.stopped: that service is not running; unit.reachable: the unit answers over SSH.
 */
export const GATE_NAMES = [
  'estop.released',
  'vehicle.stopped',
  'firmware.stopped',
  'backend.stopped',
  'unit.reachable',
] as const;
export const GateNameSchema = z.enum(GATE_NAMES);
export type GateName = z.infer<typeof GateNameSchema>;

/**
 * Gates no file can make overridable: the vehicle standing still, the E-Stop input, and the firmware stopped before
 * the workstation becomes the RS485 bus's master (two masters on one bus garble the E-Stop module's frames).
 */
export const NEVER_OVERRIDABLE_GATES: readonly GateName[] = ['vehicle.stopped', 'estop.released', 'firmware.stopped'];

/** Values of the unit's vehicle profile a command may use (service names and ports differ between builds). */
export const PROFILE_KEYS = [
  'backendService',
  'firmwareService',
  'backendPort',
  'firmwarePort',
  'installDir',
  'estopGpioPath',
] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];

/** The `next` that ends the run. */
export const END_OF_PROCEDURE = 'end';

export const ID_PATTERN = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;
const CHECK_ID_PATTERN = /^[a-z][a-z0-9]*(?:[.-][a-zA-Z0-9]+)*$/;
/** What makes text "shell text" rather than a value: expansions and command substitution. */
export const SHELL_TEXT = /\$\{|\$\(|`/;
export const UNQUOTED_PARAMETER =
  'a command with an unquoted parameter: shell text (${…}, $(…) or backticks) is not allowed; use {"param": "name"}';

function requiredText(what: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `missing ${what}` : `${what} must be text`) })
    .trim()
    .min(1, `missing ${what}`);
}

/** Every text a technician reads, in English and Vietnamese; a missing translation is an error. */
export const LocalizedTextSchema = z
  .object(
    {
      en: requiredText('English text (en)'),
      vi: requiredText('Vietnamese translation (vi)'),
    },
    { error: (issue) => (issue.input === undefined ? 'missing text' : 'must be {"en": …, "vi": …}') },
  )
  .strict();
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;
export type Language = keyof LocalizedText;

export const StepIdSchema = z
  .string()
  .regex(ID_PATTERN, 'a step id is lower-case letters, digits, dots and dashes, starting with a letter');
/** Where to go next: a step id of the same procedure, or "end". */
export const NextSchema = z.string().refine((v) => v === END_OF_PROCEDURE || ID_PATTERN.test(v), {
  message: 'next is a step id or "end"',
});
export const CheckIdSchema = z
  .string()
  .regex(CHECK_ID_PATTERN, 'a diagnostic check id such as services.backend or resources.disk');

export const RegexTextSchema = z
  .string()
  .min(1)
  .refine(
    (text) => {
      try {
        new RegExp(text);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a valid regular expression' },
  );
