import type { ActionStep } from '../../../../shared/domain/procedure';
import type { Thresholds } from '../../../../shared/domain/thresholds';
import type { Unit } from '../../../../shared/domain/unit';
import { isAppError } from '../../../../shared/errors/AppError';
import type { GateEvaluation } from '../../../../shared/ipc/contracts/procedureRuns';
import type { Clock } from '../../ports/Clock';
import type { Connection } from '../../transport/transport';
import type { UnitConnector } from '../../units/unitConnection';
import { evaluateGates } from '../gates/gates';
import type { ExecuteContext } from './execute';

/** Errors after which the connection is dropped and made again on the next step. */
const LINK_ERRORS = new Set(['TRANSPORT_CLOSED', 'TRANSPORT_TIMEOUT', 'CONNECT_FAILED', 'CANCELLED']);

/** Whether an error means the link to the unit is gone (so what was running there may or may not have finished). */
export function isLinkLost(error: unknown): boolean {
  return isAppError(error) && LINK_ERRORS.has(error.code);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The run engine's links to units: one connection per unit, made on first use and made again after it was lost, and
 * the live reading of an action's gates through it.
 */
export class UnitLinks {
  private readonly connections = new Map<string, Promise<Connection>>();

  constructor(
    private readonly connector: UnitConnector,
    private readonly clock: Clock,
    private readonly thresholds: () => Thresholds,
  ) {}

  async connection(unit: Unit): Promise<Connection> {
    let pending = this.connections.get(unit.name);
    if (!pending) {
      pending = this.connector.connect(unit);
      this.connections.set(unit.name, pending);
      pending.catch(() => this.connections.delete(unit.name));
    }
    return pending;
  }

  async context(unit: Unit, params: Record<string, string>): Promise<ExecuteContext> {
    return {
      unit,
      channel: await this.connection(unit),
      params,
      clock: this.clock,
      thresholds: this.thresholds(),
    };
  }

  /** Forgets the unit's connection when the error says it is gone, so the next step connects again. */
  dropOn(unit: string, error: unknown): void {
    if (isLinkLost(error)) {
      const pending = this.connections.get(unit);
      this.connections.delete(unit);
      void pending?.then((c) => c.close()).catch(() => undefined);
    }
  }

  async readGates(step: ActionStep, unit: Unit): Promise<GateEvaluation[]> {
    const gates = step.gates.map((g) => g.gate);
    if (gates.length === 0) {
      return [];
    }
    let channel: Connection | null = null;
    let connectError: string | undefined;
    try {
      channel = await this.connection(unit);
    } catch (error) {
      connectError = errorText(error);
    }
    const evaluations = await evaluateGates(gates, { unit, channel, clock: this.clock, connectError });
    if (evaluations.some((e) => /SSH connection (was lost|is closed)/.test(e.reading))) {
      this.connections.delete(unit.name);
    }
    return evaluations;
  }

  async close(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map(async (c) => (await c.catch(() => null))?.close()));
  }
}
