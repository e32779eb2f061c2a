import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { canonicalJson } from './canonicalJson';
import { writeDurably } from './auditKey';

/**
 * The chain's head kept outside the database: the number of rows and the last row's hash, with the chain's and the
 * key's ids, under an HMAC of the audit key. Rows cut off the end of the log no longer reach the head it names; a
 * head file cannot be rewritten to match without the key. It is replaced atomically (written aside, then renamed)
 * after every append; a crash between the two leaves it behind the log, which verify accepts when the rows after it
 * are keyed, never ahead.
 */

export const AUDIT_HEAD_FILE = 'audit-head.json';

export type AuditHeadFields = {
  format: 1;
  chainId: string;
  keyId: string;
  /** The seq of the audit.anchor row: rows before it are the unkeyed chain of earlier builds. */
  keyedFrom: number;
  rows: number;
  /** The hash of row `rows`. */
  head: string;
  at: string;
};

export type AuditHead = AuditHeadFields & { mac: string };

export type HeadRead = { kind: 'missing' } | { kind: 'unreadable'; reason: string } | { kind: 'ok'; head: AuditHead };

export function auditHeadPath(dataDir: string): string {
  return join(dataDir, AUDIT_HEAD_FILE);
}

function macOf(fields: AuditHeadFields, key: Buffer): string {
  return createHmac('sha256', key).update(canonicalJson(fields)).digest('hex');
}

export function writeAuditHead(file: string, fields: AuditHeadFields, key: Buffer): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeDurably(temp, `${JSON.stringify({ ...fields, mac: macOf(fields, key) }, null, 2)}\n`);
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function readAuditHead(file: string): HeadRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { kind: 'missing' };
    }
    return { kind: 'unreadable', reason: (error as Error).message };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', reason: 'not JSON' };
  }
  const v = value as Partial<AuditHead>;
  if (
    v.format !== 1 ||
    typeof v.chainId !== 'string' ||
    typeof v.keyId !== 'string' ||
    !Number.isSafeInteger(v.keyedFrom) ||
    !Number.isSafeInteger(v.rows) ||
    typeof v.head !== 'string' ||
    typeof v.at !== 'string' ||
    typeof v.mac !== 'string'
  ) {
    return { kind: 'unreadable', reason: 'not an audit head file' };
  }
  return { kind: 'ok', head: v as AuditHead };
}

/** Whether the head file was written with this key (and not altered since). */
export function headMacMatches(head: AuditHead, key: Buffer): boolean {
  const { mac, ...fields } = head;
  const expected = Buffer.from(macOf(fields, key), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
