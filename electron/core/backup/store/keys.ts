import { readFile } from 'node:fs/promises';

import { AppError } from '../../../../shared/errors/AppError';
import type { Logger } from '../../ports/Logger';
import type { KeyProvider } from '../../ports/KeyProvider';
import type { StoreLayout } from './layout';
import { damaged } from './layout';
import type { KeyRecord, StoreKeys } from './storeCrypto';
import { deriveKeys, kdfProblem, keyCheckValue, keyMatches, newKdfParams } from './storeCrypto';
import { isEnoent } from './storeFs';

/**
 * The store key: asked of the key provider lazily (only when a secret is written or read, or `unlock` is called),
 * checked against the key-check record (created on first use), and kept for the store object's life; a failure is
 * asked again next time.
 */
export class StoreKeyRing {
  private keys: Promise<StoreKeys> | null = null;

  constructor(
    private readonly layout: StoreLayout,
    private readonly provider: KeyProvider,
    private readonly kdfCost: number,
    private readonly logger: Logger,
  ) {}

  get source(): string {
    return this.provider.source;
  }

  get(): Promise<StoreKeys> {
    if (this.keys === null) {
      this.keys = this.load();
      this.keys.catch(() => {
        this.keys = null;
      });
    }
    return this.keys;
  }

  /** The keys if a passphrase is at hand, null if none is configured; a wrong one still fails. */
  async getIfAvailable(): Promise<StoreKeys | null> {
    try {
      return await this.get();
    } catch (error) {
      if (error instanceof AppError && error.code === 'PASSPHRASE_MISSING') {
        return null;
      }
      throw error;
    }
  }

  /**
   * The key-check record, its KDF parameters within bounds (a record asking for absurd ones is refused before scrypt
   * runs); null when the store has none yet.
   */
  async readRecord(): Promise<KeyRecord | null> {
    const path = this.layout.p('key.json');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isEnoent(error)) {
        return null;
      }
      throw error;
    }
    let record: KeyRecord;
    try {
      record = JSON.parse(text) as KeyRecord;
    } catch (error) {
      throw damaged(`The backup store's key-check record ${path} is not JSON`, { file: path }, error);
    }
    if (record.format !== 1 || typeof record.check !== 'string' || !/^[0-9a-f]{64}$/.test(record.check)) {
      throw damaged(`The backup store's key-check record ${path} has an unknown format`, { file: path });
    }
    const problem = kdfProblem(record.kdf);
    if (problem !== null) {
      throw damaged(
        `The backup store's key-check record ${path} asks for key derivation parameters this workstation refuses (${problem}); it was not written by the workstation. Nothing was derived`,
        { file: path, problem },
      );
    }
    return record;
  }

  private missing(): AppError {
    return new AppError(
      'PASSPHRASE_MISSING',
      `The backup store keeps secret files encrypted and needs its passphrase (looked in ${this.provider.source})`,
      { details: { source: this.provider.source } },
    );
  }

  private async load(): Promise<StoreKeys> {
    const record = await this.readRecord();
    let passphrase = await this.provider.getPassphrase();
    if (record !== null) {
      if (passphrase === null) {
        throw this.missing();
      }
      const keys = await deriveKeys(passphrase, record.kdf);
      if (!keyMatches(keys, record)) {
        throw new AppError(
          'PASSPHRASE_WRONG',
          `The passphrase from ${this.provider.source} is not this backup store's passphrase`,
          { details: { source: this.provider.source } },
        );
      }
      return keys;
    }
    if (passphrase === null) {
      if (this.provider.createPassphrase === undefined) {
        throw this.missing();
      }
      passphrase = await this.provider.createPassphrase();
    }
    const kdf = newKdfParams(this.kdfCost);
    const keys = await deriveKeys(passphrase, kdf);
    const fresh: KeyRecord = { format: 1, kdf, check: keyCheckValue(keys) };
    if (await this.layout.createExclusive('key.json', `${JSON.stringify(fresh, null, 2)}\n`)) {
      this.logger.info('backup store key created', { source: this.provider.source, log2N: kdf.log2N });
      return keys;
    }
    // Another process created the record first: the passphrase must match that one.
    return this.load();
  }
}
