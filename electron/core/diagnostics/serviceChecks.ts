import type { CheckResult } from '../../../shared/domain/health';
import type { Said } from '../../../shared/domain/said';
import { said, say } from '../../../shared/domain/words';
import { RUNBOOK } from './runbook';
import { formatProperties, systemdMoment, type UnitProperties } from './systemdShow';

/**
 * Judges one systemd service as the runbook would: running and enabled is OK; stopped, failed or crash-looping is not.
 * Its metrics are systemd's restart counter (`restarts`) and whether the service is up (`active`, 1 or 0), so that
 * the history can tell how often it crashed between two sweeps.
 */
export function judgeService(
  id: string,
  service: string,
  props: UnitProperties | undefined,
  command: string,
): CheckResult {
  if (props?.LoadState === undefined || props.ActiveState === undefined) {
    return {
      id,
      level: 'STALE',
      ...said('service.unreadable', { service }),
      evidence: `$ ${command}\n${props ? formatProperties(props) : '(no output for this unit)'}`,
    };
  }
  const evidence = `$ ${command}\n${formatProperties(props)}`;
  const restarts = Number.parseInt(props.NRestarts ?? '0', 10) || 0;
  const metrics: Record<string, number> = { active: props.ActiveState === 'active' ? 1 : 0 };
  // An older systemd has no NRestarts: then the count is unknown, which is not the same as none.
  if (props.NRestarts !== undefined && /^\d+$/.test(props.NRestarts)) {
    metrics['restarts'] = Number(props.NRestarts);
  }
  return { ...judgeLoaded(id, service, props, evidence, restarts), metrics };
}

function judgeLoaded(
  id: string,
  service: string,
  props: UnitProperties,
  evidence: string,
  restarts: number,
): CheckResult {
  const restarted = restartedWords(restarts);

  if (props.LoadState === 'not-found') {
    return {
      id,
      level: 'ERROR',
      ...said('service.notInstalled', { service }),
      evidence,
      runbook: RUNBOOK.systemRecovery,
    };
  }
  switch (props.ActiveState) {
    case 'active':
      return judgeActive(id, service, props, evidence, restarts);
    case 'failed':
      return {
        id,
        level: 'ERROR',
        ...said('service.failed', {
          service,
          result: props.Result || say('service.unknownResult'),
          status: props.ExecMainStatus || '?',
          since: since(props.InactiveEnterTimestamp),
          restarted,
        }),
        evidence,
        runbook: RUNBOOK.systemDown,
      };
    case 'activating':
      if (props.SubState === 'auto-restart') {
        return {
          id,
          level: 'ERROR',
          ...said('service.autoRestart', { service, restarted }),
          evidence,
          runbook: RUNBOOK.serviceWontStart,
        };
      }
      return {
        id,
        level: 'WARN',
        ...said('service.starting', { service }),
        evidence,
        runbook: RUNBOOK.serviceWontStart,
      };
    case 'deactivating':
    case 'reloading':
      return { id, level: 'WARN', ...said('service.changing', { service, state: props.ActiveState }), evidence };
    case 'inactive':
      return {
        id,
        level: 'ERROR',
        ...said('service.stopped', { service, since: since(props.InactiveEnterTimestamp) }),
        evidence,
        runbook: RUNBOOK.serviceRecovery,
      };
    default:
      return {
        id,
        level: 'STALE',
        ...said('service.unexpected', { service, state: props.ActiveState ?? '?' }),
        evidence,
      };
  }
}

/** A running service: OK, unless it keeps crashing or will not come back after a reboot. */
function judgeActive(
  id: string,
  service: string,
  props: UnitProperties,
  evidence: string,
  restarts: number,
): CheckResult {
  const restarted = restartedWords(restarts);
  const enabled = props.UnitFileState ?? '';
  if (restarts >= 3) {
    return {
      id,
      level: 'WARN',
      ...said('service.crashing', { service, since: since(props.ActiveEnterTimestamp), restarted }),
      evidence,
      runbook: RUNBOOK.serviceWontStart,
    };
  }
  if (enabled !== '' && enabled !== 'enabled' && enabled !== 'static') {
    return {
      id,
      level: 'WARN',
      ...said('service.notEnabled', { service, enabled }),
      evidence,
      runbook: RUNBOOK.serviceRecovery,
    };
  }
  return {
    id,
    level: 'OK',
    ...said('service.running', { service, since: since(props.ActiveEnterTimestamp), restarted }),
    evidence,
  };
}

function restartedWords(restarts: number): Said | string {
  return restarts > 0 ? say('service.restarted', { restarts }) : '';
}

function since(at: string | undefined): Said | string {
  return at ? say('service.since', { at: systemdMoment(at) }) : '';
}
