import { isAbsolute, resolve } from 'node:path';

import { AppError } from '../../../shared/errors/AppError';
import {
  DEFAULT_VEHICLE_PROFILE,
  type HostKeyProbe,
  type Unit,
  type UnitAuth,
  type VehicleProfile,
} from '../../../shared/domain/unit';
import type { CallParsedInput } from '../../../shared/ipc/contract';
import type { EventHub } from '../ports/EventHub';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { UnitConnector } from './unitConnection';

export type UnitServiceDeps = {
  history: HistoryRepository;
  connector: UnitConnector;
  events: EventHub;
  clock: Clock;
  /** Relative key paths given on a command line are taken from here. */
  cwd: string;
};

/** Adding, removing and trusting units; every change is written to the audit log with who did it. */
export class UnitService {
  constructor(private readonly deps: UnitServiceDeps) {}

  list(): Unit[] {
    return this.deps.history.listUnits();
  }

  require(name: string): Unit {
    const unit = this.deps.history.getUnit(name);
    if (!unit) {
      throw new AppError('NOT_FOUND', `unit ${name} not found (see: ohtw units list)`, { details: { unit: name } });
    }
    return unit;
  }

  add(input: CallParsedInput<'units.add'>, actor: string): Unit {
    const profile: VehicleProfile = { ...DEFAULT_VEHICLE_PROFILE, ...input.profile };
    if (input.profile && Object.keys(input.profile).length > 0 && input.profile.variant === undefined) {
      // Names or ports given by hand are the technician's word: detection must not overwrite them.
      profile.variant = 'custom';
    }
    const unit: Unit = {
      name: input.name,
      host: input.host,
      port: input.port,
      user: input.user,
      auth: this.absoluteAuth(input.auth),
      profile,
      hostKey: null,
      createdAt: this.deps.clock.nowIso(),
      lastLevel: null,
      lastRunAt: null,
    };
    this.deps.history.addUnit(unit);
    this.deps.history.appendAudit({
      actor,
      unit: unit.name,
      action: 'unit.add',
      outcome: 'ok',
      details: { host: unit.host, port: unit.port, user: unit.user, auth: unit.auth.kind },
    });
    this.deps.events.emit('units.changed', { name: unit.name });
    return this.require(unit.name);
  }

  remove(name: string, actor: string): boolean {
    this.require(name);
    const removed = this.deps.history.removeUnit(name);
    this.deps.history.appendAudit({ actor, unit: name, action: 'unit.remove', outcome: 'ok', details: {} });
    this.deps.events.emit('units.changed', { name });
    return removed;
  }

  /** Connects only as far as the key exchange: shows what the vehicle presents, sends no credentials. */
  async probeHostKey(name: string): Promise<HostKeyProbe> {
    const unit = this.require(name);
    const presented = await this.deps.connector.probe(unit);
    const pinned = unit.hostKey?.fingerprint ?? null;
    return {
      unit: unit.name,
      algorithm: presented.algorithm,
      fingerprint: presented.fingerprint,
      status: pinned === null ? 'unknown' : pinned === presented.fingerprint ? 'trusted' : 'mismatch',
      pinnedFingerprint: pinned,
    };
  }

  /**
   * Pins the key the vehicle presents now. With an expected fingerprint, only a key that matches it is pinned.
   * Replacing a different pin (a replaced board) requires the expected fingerprint: a changed key is never
   * accepted on a click without the technician having compared it.
   */
  async trust(name: string, expectedFingerprint: string | undefined, actor: string): Promise<HostKeyProbe> {
    const probe = await this.probeHostKey(name);
    const refuse = (message: string, code: 'PRECONDITION_FAILED' | 'HOST_KEY_MISMATCH'): never => {
      this.deps.history.appendAudit({
        actor,
        unit: name,
        action: 'hostkey.trust',
        outcome: 'refused',
        details: {
          presented: probe.fingerprint,
          expected: expectedFingerprint ?? null,
          pinned: probe.pinnedFingerprint,
        },
      });
      throw new AppError(code, message, {
        details: { unit: name, fingerprint: probe.fingerprint, pinnedFingerprint: probe.pinnedFingerprint },
      });
    };
    if (expectedFingerprint !== undefined && expectedFingerprint !== probe.fingerprint) {
      refuse(
        `${name}: the vehicle presents ${probe.fingerprint}, not the expected ${expectedFingerprint}; nothing was pinned`,
        'PRECONDITION_FAILED',
      );
    }
    if (probe.status === 'trusted') {
      return probe;
    }
    if (probe.status === 'mismatch' && expectedFingerprint === undefined) {
      refuse(
        `${name}: host key changed (pinned ${probe.pinnedFingerprint ?? '?'}, presented ${probe.fingerprint}). If the board was replaced, check the new key on the vehicle and re-pin it with: ohtw units trust ${name} --fingerprint ${probe.fingerprint}`,
        'HOST_KEY_MISMATCH',
      );
    }
    this.deps.history.pinHostKey(name, { algorithm: probe.algorithm, fingerprint: probe.fingerprint });
    this.deps.history.appendAudit({
      actor,
      unit: name,
      action: probe.status === 'mismatch' ? 'hostkey.repin' : 'hostkey.trust',
      outcome: 'ok',
      details: { algorithm: probe.algorithm, fingerprint: probe.fingerprint, previous: probe.pinnedFingerprint },
    });
    this.deps.events.emit('units.changed', { name });
    return { ...probe, status: 'trusted', pinnedFingerprint: probe.fingerprint };
  }

  private absoluteAuth(auth: UnitAuth): UnitAuth {
    if (auth.kind === 'key' && !isAbsolute(auth.keyPath)) {
      return { ...auth, keyPath: resolve(this.deps.cwd, auth.keyPath) };
    }
    return auth;
  }
}
