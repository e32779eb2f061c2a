import type { CheckResult } from '../../../shared/domain/health';
import { RUNBOOK } from './runbook';
import { formatProperties, type UnitProperties } from './systemdShow';

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
      message: `${service}: the vehicle's answer to systemctl could not be read`,
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
  const restartNote = restarts > 0 ? `; restarted ${restarts} time${restarts === 1 ? '' : 's'}` : '';
  const enabled = props.UnitFileState ?? '';
  const since = (at: string | undefined): string => (at ? ` since ${at}` : '');

  if (props.LoadState === 'not-found') {
    return {
      id,
      level: 'ERROR',
      message: `${service} is not installed on the vehicle (no such systemd unit)`,
      evidence,
      runbook: RUNBOOK.systemRecovery,
    };
  }
  switch (props.ActiveState) {
    case 'active': {
      if (restarts >= 3) {
        return {
          id,
          level: 'WARN',
          message: `${service} is running${since(props.ActiveEnterTimestamp)}${restartNote}: it has been crashing`,
          evidence,
          runbook: RUNBOOK.serviceWontStart,
        };
      }
      if (enabled !== '' && enabled !== 'enabled' && enabled !== 'static') {
        return {
          id,
          level: 'WARN',
          message: `${service} is running but ${enabled} at boot: it will not come back after a power cycle`,
          evidence,
          runbook: RUNBOOK.serviceRecovery,
        };
      }
      return {
        id,
        level: 'OK',
        message: `${service} is running${since(props.ActiveEnterTimestamp)}${restartNote}`,
        evidence,
      };
    }
    case 'failed':
      return {
        id,
        level: 'ERROR',
        message: `${service} has failed (${props.Result || 'unknown result'}, exit status ${props.ExecMainStatus || '?'})${since(props.InactiveEnterTimestamp)}${restartNote}`,
        evidence,
        runbook: RUNBOOK.systemDown,
      };
    case 'activating':
      if (props.SubState === 'auto-restart') {
        return {
          id,
          level: 'ERROR',
          message: `${service} keeps crashing and systemd keeps restarting it${restartNote}`,
          evidence,
          runbook: RUNBOOK.serviceWontStart,
        };
      }
      return { id, level: 'WARN', message: `${service} is starting`, evidence, runbook: RUNBOOK.serviceWontStart };
    case 'deactivating':
    case 'reloading':
      return { id, level: 'WARN', message: `${service} is ${props.ActiveState}`, evidence };
    case 'inactive':
      return {
        id,
        level: 'ERROR',
        message: `${service} is stopped${since(props.InactiveEnterTimestamp)}`,
        evidence,
        runbook: RUNBOOK.serviceRecovery,
      };
    default:
      return {
        id,
        level: 'STALE',
        message: `${service}: unexpected state "${props.ActiveState}"`,
        evidence,
      };
  }
}
