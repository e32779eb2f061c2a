import { createHash } from 'node:crypto';

import ssh2, { type ConnectConfig } from 'ssh2';

export type Connected = { client: ssh2.Client; presentedFingerprint: string };

/** Connects with the ssh2 client and reports the fingerprint the server presented during the handshake. */
export function connect(config: ConnectConfig): Promise<Connected> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presentedFingerprint = '';
    // A connection the server ends later may still report ECONNRESET; that must not crash the test run.
    client.on('error', () => undefined);
    client.once('ready', () => resolve({ client, presentedFingerprint }));
    client.once('error', (error) => {
      client.end();
      reject(error);
    });
    client.connect({
      readyTimeout: 10_000,
      ...config,
      hostVerifier: (key: Buffer) => {
        presentedFingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
    });
  });
}

export type ExecOutput = { stdout: string; stderr: string; code: number | null };

export function exec(client: ssh2.Client, command: string): Promise<ExecOutput> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) {
        reject(error);
        return;
      }
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      stream.on('exit', (exitCode: number | null) => {
        code = exitCode;
      });
      stream.on('close', () => resolve({ stdout, stderr, code }));
    });
  });
}

/** Resolves when the client's connection is gone. */
export function closed(client: ssh2.Client): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}
