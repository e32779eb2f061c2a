import type { CallName } from '../../../shared/ipc/contract';

/**
 * The calls that record what they do in the audit log. Before one runs, the core checks that the log can take the
 * row (the key is here, the log was not cut), so that nothing is done on a vehicle or in the history that cannot be
 * recorded. Calls that only read, and diagnoses (kept in the history, not audited), are not in the list.
 */
export const AUDITED_CALLS: ReadonlySet<CallName> = new Set<CallName>([
  'units.add',
  'units.remove',
  'units.trust',
  'settings.setThresholds',
  'session.setTechnician',
  'escalation.contacts.set',
  'procedures.save',
  'procedures.start',
  'procedures.run.step',
  'procedures.run.abort',
  'procedures.run.escalate',
  'procedures.run.sign',
  'backup.run',
  'backup.retryFailed',
  'backup.verify',
  'backup.prune',
  'backup.setProfile',
  'backup.push',
  'backup.pull',
  'backup.checkAt',
  'backup.setTarget',
  'backup.trustTarget',
  'restore.run',
  'rs485.applyWrite',
  'rs485.params.backup',
  'rs485.params.restore',
  'rs485.stopFirmware',
  'terminal.open',
  'logs.saveView',
  'files.applyEdit',
  'team.join',
  'team.leave',
  'team.sync',
]);
