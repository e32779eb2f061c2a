import type { LogPriority } from '../../../shared/domain/unitLogs';
import { raw, sh, shellWords, type ShellText } from '../transport/shell';

/** The fields a log line needs: journalctl prints only these (and its own four) in JSON. */
const FIELDS = 'PRIORITY,SYSLOG_IDENTIFIER,_PID,MESSAGE,_SYSTEMD_UNIT,UNIT';

export type JournalQuery = {
  /** Systemd units; empty: the whole journal. */
  services: readonly string[];
  priority: LogPriority;
  /** Lines of the past (-n). */
  lines: number;
  follow?: boolean;
  /** Epoch ms. */
  sinceMs?: number;
  untilMs?: number;
  grep?: string;
};

function journalctl(query: JournalQuery): ShellText {
  const args = ['journalctl', '--no-pager', '-q', '-o', 'json', `--output-fields=${FIELDS}`];
  for (const service of query.services) {
    args.push('-u', service);
  }
  args.push('-p', query.priority, '-n', String(query.lines));
  if (query.sinceMs !== undefined) {
    args.push(`--since=@${Math.floor(query.sinceMs / 1000)}`);
  }
  if (query.untilMs !== undefined) {
    args.push(`--until=@${Math.ceil(query.untilMs / 1000)}`);
  }
  if (query.grep !== undefined) {
    args.push('--grep', query.grep);
  }
  if (query.follow === true) {
    args.push('--follow');
  }
  return shellWords(args);
}

/**
 * The journal as root where sudo allows it without a password (the vehicle's login user is rarely in
 * systemd-journal), else as the login user: the diagnosis reads it the same way.
 */
export function journalCommand(query: JournalQuery): ShellText {
  const command = raw(journalctl({ ...query, follow: false }));
  return sh`sudo -n ${command} 2>/dev/null || ${command}`;
}

/**
 * The same, following. The shell replaces itself with journalctl (through sudo, which passes signals on), so the
 * signal that ends the stream reaches journalctl itself and nothing is left running on the vehicle.
 */
export function journalFollowCommand(query: JournalQuery): ShellText {
  const command = raw(journalctl({ ...query, follow: true }));
  return sh`if sudo -n true 2>/dev/null; then exec sudo -n ${command}; else exec ${command}; fi`;
}

/** Every unit systemd knows, loaded or not: the services are picked from it. */
export const LIST_UNITS_COMMAND = 'systemctl list-units --all --no-legend --plain --no-pager';

export type ListedService = { name: string; active: string; description: string };

/** `UNIT LOAD ACTIVE SUB DESCRIPTION…` lines: the services among them. */
export function parseListedServices(stdout: string): ListedService[] {
  const services: ListedService[] = [];
  for (const line of stdout.split('\n')) {
    const [name, _load, active, _sub, ...description] = line.trim().replace(/^●\s*/, '').split(/\s+/);
    if (name !== undefined && name.endsWith('.service') && active !== undefined) {
      services.push({ name, active, description: description.join(' ') });
    }
  }
  return services.sort((a, b) => a.name.localeCompare(b.name));
}
