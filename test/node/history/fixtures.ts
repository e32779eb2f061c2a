import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterEach, expect } from 'vitest';

import { AppError, type ErrorCode } from '../../../shared/errors/AppError';

import { worstLevel, type CheckResult, type DiagnosisReport, type HealthLevel } from '../../../shared/domain/health';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import type { Clock } from '../../../electron/core/ports/Clock';
import { auditHeadPath } from '../../../electron/core/history/auditHead';
import { HistoryRepository } from '../../../electron/core/history/HistoryRepository';
import { openHistoryDatabase, type Database } from '../../../electron/core/history/openDatabase';
import { testAudit } from '../../support/fakes/auditKeys';

export const T0 = Date.parse('2026-11-28T08:00:00.000Z');
export const FINGERPRINT_A = `SHA256:${'A'.repeat(43)}`;
export const FINGERPRINT_B = `SHA256:${'B'.repeat(43)}`;

/** A fresh temp folder per test, removed afterwards along with every database left open in it. */
export function useTempDir(): { path(name: string): string; track(db: Database): Database } {
  let dir: string | undefined;
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) {
      if (db.open) {
        db.close();
      }
    }
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    }
  });
  return {
    path(name: string): string {
      dir ??= mkdtempSync(join(tmpdir(), 'ohtw-history-'));
      return join(dir, name);
    },
    track(db: Database): Database {
      open.push(db);
      return db;
    },
  };
}

/** A clock that moves on by stepMs at every reading, through now() and nowIso() alike. */
export function steppingClock(startMs = T0, stepMs = 1000): Clock {
  let t = startMs;
  const next = (): number => {
    const v = t;
    t += stepMs;
    return v;
  };
  return { now: next, nowIso: () => new Date(next()).toISOString() };
}

/** A repository over a real file; the clock advances one second per reading so that order is visible. */
export function openRepo(
  temp: ReturnType<typeof useTempDir>,
  file = temp.path('history.sqlite'),
  clock: Clock = steppingClock(),
): { repo: HistoryRepository; db: Database; file: string } {
  const db = temp.track(openHistoryDatabase(file));
  return { repo: new HistoryRepository(db, clock, testAudit(auditHeadPath(dirname(file)))), db, file };
}

export function sampleUnit(name: string, overrides: Partial<Unit> = {}): Unit {
  return {
    name,
    host: `${name.toLowerCase()}.fleet.local`,
    port: 22,
    user: 'oht',
    auth: { kind: 'key', keyPath: '/home/tech/.ssh/id_ed25519' },
    profile: DEFAULT_VEHICLE_PROFILE,
    hostKey: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    lastLevel: null,
    lastRunAt: null,
    ...overrides,
  };
}

export function check(id: string, level: HealthLevel, children?: CheckResult[]): CheckResult {
  const out: CheckResult = { id, level, message: `${id} is ${level}`, evidence: `evidence of ${id}` };
  if (children) {
    out.children = children;
  }
  return out;
}

let runCounter = 0;

/** A report whose level is the given one; runIds are UUID-shaped and unique within the test process. */
export function sampleReport(
  unit: string,
  startedAt: string,
  checks: CheckResult[],
  level?: HealthLevel,
): DiagnosisReport {
  runCounter += 1;
  return {
    runId: `00000000-0000-4000-8000-${runCounter.toString().padStart(12, '0')}`,
    unit,
    level: level ?? worstLevel(checks.map((c) => c.level)),
    startedAt,
    durationMs: 1234,
    checks,
  };
}

/** Runs `action`, expecting an AppError with this code; returns it for further checks. */
export function catchAppError(action: () => unknown, code: ErrorCode): AppError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected an AppError ${code}, but nothing was thrown`);
}
