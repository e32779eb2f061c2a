import { BugError } from '../../shared/errors/AppError';
import { CALL_NAMES, type CallName } from '../../shared/ipc/contract';
import type { CallContext, CoreHandlers } from './api/CoreApi';
import { composeAuditVerify } from './auditChecks';
import type { AuditCheckResult, CoreFeature } from './feature';
import type { FeatureCalls, LentPorts, LentPortsLookup } from './ports/FeatureCalls';

type AnyHandler = (input: never, context: CallContext) => Promise<unknown>;
/** A feature of any slice: its handlers are some of the contract's. */
type AnyFeature = Omit<CoreFeature<CallName>, 'handlers'> & { handlers: Partial<CoreHandlers> };

/**
 * Merges the features' slices into one handler table: each call answered by exactly one feature, each lent port
 * filled by one. Features that use each other's calls get them through `calls`, looked up when they are called.
 */
export class FeatureRegistry {
  private readonly table = new Map<CallName, AnyHandler>();
  private readonly lentPorts: Partial<LentPorts> = {};
  private readonly auditChecks: (() => AuditCheckResult)[] = [];

  readonly calls: FeatureCalls = {
    handler: <N extends CallName>(name: N): CoreHandlers[N] => {
      const answer = async (input: never, context: CallContext): Promise<unknown> => {
        const handler = this.table.get(name);
        if (handler === undefined) {
          throw new BugError(`no feature answers ${name}`);
        }
        return handler(input, context);
      };
      return answer as unknown as CoreHandlers[N];
    },
  };

  readonly lent: LentPortsLookup = {
    get: (port) => {
      const filled = this.lentPorts[port];
      if (filled === undefined) {
        throw new BugError(`no feature lends the ${port} port`);
      }
      return filled;
    },
  };

  add<F extends AnyFeature>(feature: F): F {
    for (const [name, handler] of Object.entries(feature.handlers) as [CallName, AnyHandler][]) {
      if (this.table.has(name)) {
        throw new BugError(`two features answer ${name}`);
      }
      this.table.set(name, handler);
    }
    for (const [port, filled] of Object.entries(feature.lends ?? {}) as [keyof LentPorts, never][]) {
      if (this.lentPorts[port] !== undefined) {
        throw new BugError(`two features lend the ${port} port`);
      }
      this.lentPorts[port] = filled;
    }
    if (feature.verifyAudit) {
      this.auditChecks.push(feature.verifyAudit);
    }
    return feature;
  }

  /**
   * The whole table, once every feature is added. `audit.verify` checks the history's chain and signed runs (the
   * procedures feature's check), then what each feature keeps beside the chain, in the order they were added.
   */
  handlers(): CoreHandlers {
    const missing = CALL_NAMES.filter((name) => !this.table.has(name));
    if (missing.length > 0) {
      throw new BugError(`no feature answers ${missing.join(', ')}`);
    }
    const handlers = Object.fromEntries(this.table) as CoreHandlers;
    return { ...handlers, 'audit.verify': composeAuditVerify(handlers['audit.verify'], this.auditChecks) };
  }
}
