/**
 * The command a technician runs on the vehicle to print its own fingerprint for the presented algorithm.
 * OpenSSH names host key files by key type, not by the signature algorithm negotiated (rsa-sha2-512 is an RSA key).
 */
export function hostKeyCommand(algorithm: string): string {
  const type = keyType(algorithm);
  return type
    ? `ssh-keygen -lf /etc/ssh/ssh_host_${type}_key.pub`
    : 'for f in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf "$f"; done';
}

function keyType(algorithm: string): string | null {
  if (algorithm.includes('ed25519')) {
    return 'ed25519';
  }
  if (algorithm.startsWith('ecdsa')) {
    return 'ecdsa';
  }
  if (algorithm === 'ssh-rsa' || algorithm.startsWith('rsa-')) {
    return 'rsa';
  }
  return null;
}
