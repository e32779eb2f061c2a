import type { NewUnit } from '../../../shared/domain/unit';

export type AuthKind = 'key' | 'password';

/** The form as typed: strings only, so that half-typed values survive until the core judges them. */
export type UnitDraft = {
  name: string;
  host: string;
  port: string;
  user: string;
  authKind: AuthKind;
  keyPath: string;
  passphraseEnv: string;
  passwordEnv: string;
};

export const EMPTY_DRAFT: UnitDraft = {
  name: '',
  host: '',
  port: '22',
  user: '',
  authKind: 'key',
  keyPath: '',
  passphraseEnv: '',
  passwordEnv: '',
};

/**
 * Shapes the draft as `units.add` expects it. Validation stays in the core (one set of rules for every face);
 * this only trims, drops empty optional fields and leaves an empty port to the core's default of 22.
 */
export function draftToNewUnit(draft: UnitDraft): NewUnit {
  const port = draft.port.trim();
  const passphraseEnv = draft.passphraseEnv.trim();
  return {
    name: draft.name.trim(),
    host: draft.host.trim(),
    ...(port === '' ? {} : { port: Number(port) }),
    user: draft.user.trim(),
    auth:
      draft.authKind === 'key'
        ? { kind: 'key', keyPath: draft.keyPath.trim(), ...(passphraseEnv === '' ? {} : { passphraseEnv }) }
        : { kind: 'password', passwordEnv: draft.passwordEnv.trim() },
  };
}
