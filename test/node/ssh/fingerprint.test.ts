import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { algorithmOfKeyBlob, sha256Fingerprint } from '../../../electron/core/transport/ssh/fingerprint';

const dir = mkdtempSync(join(tmpdir(), 'ohtw-fingerprint-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh key pair: the blob from the .pub file and what ssh-keygen -lf says about it. */
function keyPair(type: string): { blob: Buffer; fingerprint: string } {
  const path = join(dir, type);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path]);
  const blob = Buffer.from(readFileSync(`${path}.pub`, 'utf8').split(' ')[1]!, 'base64');
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { blob, fingerprint };
}

describe('host key fingerprints', () => {
  it.each([
    ['ed25519', 'ssh-ed25519'],
    ['ecdsa', 'ecdsa-sha2-nistp256'],
    ['rsa', 'ssh-rsa'],
  ])('matches ssh-keygen -lf for an %s key', (type, algorithm) => {
    const { blob, fingerprint } = keyPair(type);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(sha256Fingerprint(blob)).toBe(fingerprint);
    expect(algorithmOfKeyBlob(blob)).toBe(algorithm);
  });

  it('rejects blobs that are not SSH public keys', () => {
    expect(() => algorithmOfKeyBlob(Buffer.alloc(2))).toThrow(/too short/);
    expect(() => algorithmOfKeyBlob(Buffer.from([0, 0, 0, 200, 1, 2]))).toThrow(/bad algorithm length/);
    expect(() => algorithmOfKeyBlob(Buffer.from([0, 0, 0, 2, 0x20, 0x41]))).toThrow(/non-printable/);
  });
});
