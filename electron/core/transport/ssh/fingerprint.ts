import { createHash } from 'node:crypto';

/** "SHA256:" + unpadded base64 of the key blob's SHA-256: the form `ssh-keygen -lf` prints and technicians compare. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name an SSH public key blob starts with (a uint32 length, then that many bytes), e.g. "ssh-ed25519". */
export function algorithmOfKeyBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) {
    throw new Error(`host key blob too short (${keyBlob.length} bytes)`);
  }
  const length = keyBlob.readUInt32BE(0);
  // Algorithm names are short printable ASCII; anything else means the blob is not an SSH public key.
  if (length === 0 || length > 64 || keyBlob.length < 4 + length) {
    throw new Error(`host key blob has a bad algorithm length (${length})`);
  }
  const name = keyBlob.subarray(4, 4 + length).toString('latin1');
  if (!/^[\x21-\x7e]+$/.test(name)) {
    throw new Error('host key blob has a non-printable algorithm name');
  }
  return name;
}
