/**
 * Plans waiting for the technician's go: kept by id for a while, taken once. A plan that is applied, expired or
 * belongs to a bus that went away is gone, so a stale dialog can never write what it showed minutes ago.
 */
import { randomUUID } from 'node:crypto';

import { AppError } from '../../../../shared/errors/AppError';
import type { Clock } from '../../ports/Clock';

export const PLAN_TTL_MS = 5 * 60_000;

type Entry<T> = { value: T; busId: string; expiresAtMs: number };

export class PlanStore<T> {
  private readonly plans = new Map<string, Entry<T>>();

  constructor(
    private readonly clock: Clock,
    private readonly what: string,
    private readonly ttlMs = PLAN_TTL_MS,
  ) {}

  put(busId: string, value: T): { planId: string; expiresAt: string } {
    this.sweep();
    const planId = randomUUID();
    const expiresAtMs = this.clock.now() + this.ttlMs;
    this.plans.set(planId, { value, busId, expiresAtMs });
    return { planId, expiresAt: new Date(expiresAtMs).toISOString() };
  }

  /** The plan, removed; NOT_FOUND when unknown, applied already or expired. */
  take(planId: string): { busId: string; value: T } {
    this.sweep();
    const entry = this.plans.get(planId);
    if (!entry) {
      throw new AppError(
        'NOT_FOUND',
        `No ${this.what} ${planId}: it was applied already, expired or its bus was released; plan again`,
        {
          details: { planId },
        },
      );
    }
    this.plans.delete(planId);
    return { busId: entry.busId, value: entry.value };
  }

  /** Forgets the plans of a bus that went away. */
  dropBus(busId: string): void {
    for (const [id, entry] of this.plans) {
      if (entry.busId === busId) {
        this.plans.delete(id);
      }
    }
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.plans) {
      if (entry.expiresAtMs <= now) {
        this.plans.delete(id);
      }
    }
  }
}
