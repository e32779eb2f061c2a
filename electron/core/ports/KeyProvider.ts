/**
 * Where the store passphrase comes from. `getPassphrase` is asked lazily (only when a secret is written or read, or
 * `unlock` is called), once per store object, and again only after a failure; null means none is configured.
 */
export interface KeyProvider {
  /** For messages: 'OHTW_PASSPHRASE', 'passphrase file /x', 'OS keychain'. */
  readonly source: string;
  getPassphrase(): Promise<string | null>;
  /**
   * Only for providers that may mint the passphrase themselves (the desktop keychain): called when the store has no
   * key-check record yet and `getPassphrase` returned null. Returns the passphrase it stored.
   */
  createPassphrase?(): Promise<string>;
}

/** What the desktop app fills with Electron safeStorage; the store never touches the keychain itself. */
export interface KeychainPort {
  load(): Promise<string | null>;
  save(passphrase: string): Promise<void>;
}
