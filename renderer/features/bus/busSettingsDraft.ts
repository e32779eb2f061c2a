import {
  BusSettingsInputSchema,
  type BusSettingsInput,
  type BusSettingsView,
} from '../../../shared/ipc/contracts/rs485';

/** The bus settings as the form holds them: text while typed, checked against the contract's schema before use. */
export type BusSettingsDraft = {
  baudRate: string;
  dataBits: string;
  parity: string;
  stopBits: string;
  timeoutMs: string;
  retries: string;
  gapMs: string;
  echoSuppression: boolean;
};

export type BusSettingsField = Exclude<keyof BusSettingsDraft, 'echoSuppression'>;

export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

/** The firmware's own settings (115200 8N1, 1000 ms, 3 retries, 50 ms), as the contract defaults them. */
export function defaultDraft(): BusSettingsDraft {
  return draftOf(BusSettingsInputSchema.parse({}));
}

/** The settings as the form shows them: the contract's defaults, or those a connected bus uses. */
export function draftOf(settings: BusSettingsView): BusSettingsDraft {
  return {
    baudRate: String(settings.baudRate),
    dataBits: String(settings.dataBits),
    parity: settings.parity,
    stopBits: String(settings.stopBits),
    timeoutMs: String(settings.timeoutMs),
    retries: String(settings.retries),
    gapMs: String(settings.gapMs),
    echoSuppression: settings.echoSuppression,
  };
}

export type CheckedSettings =
  { ok: true; settings: BusSettingsInput } | { ok: false; problems: Partial<Record<BusSettingsField, string>> };

/** A blank or non-numeric field is a problem of its own; the rest is the contract's schema speaking. */
export function checkDraft(draft: BusSettingsDraft): CheckedSettings {
  const problems: Partial<Record<BusSettingsField, string>> = {};
  const numberOf = (field: BusSettingsField): number => {
    const text = draft[field].trim();
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) {
      problems[field] = 'not a number';
    }
    return value;
  };
  const candidate = {
    baudRate: numberOf('baudRate'),
    dataBits: numberOf('dataBits'),
    parity: draft.parity,
    stopBits: numberOf('stopBits'),
    timeoutMs: numberOf('timeoutMs'),
    retries: numberOf('retries'),
    gapMs: numberOf('gapMs'),
    echoSuppression: draft.echoSuppression,
  };
  const parsed = BusSettingsInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && field in draft && field !== 'echoSuppression') {
        problems[field as BusSettingsField] ??= issue.message;
      }
    }
  }
  if (Object.keys(problems).length > 0 || !parsed.success) {
    return { ok: false, problems };
  }
  return { ok: true, settings: parsed.data };
}
