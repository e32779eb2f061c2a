import type { KeyProvider } from '../ports/KeyProvider';

/**
 * The store passphrase entered for this session (the desktop app asks for it when the OS has no real keyring). Kept
 * in memory only, never written anywhere; OHTW_PASSPHRASE from the environment is used when none was entered.
 */
export class SessionPassphrase {
  private entered: string | null = null;

  constructor(private readonly env: Record<string, string | undefined>) {}

  set(passphrase: string): void {
    this.entered = passphrase;
  }

  /** The entered passphrase, else OHTW_PASSPHRASE, else null. */
  get(): string | null {
    return this.entered ?? (this.env.OHTW_PASSPHRASE || null);
  }

  isEntered(): boolean {
    return this.entered !== null;
  }

  /** The backup store's key provider over this passphrase. */
  keyProvider(): KeyProvider {
    return {
      source: 'the store passphrase entered on the Settings page (or OHTW_PASSPHRASE)',
      getPassphrase: () => Promise.resolve(this.get()),
    };
  }
}
