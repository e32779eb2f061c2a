import { strftimeUtc } from './timeFormat';
import { SIM_GROUPS, type SimNode } from './simTree';

/**
 * Files of the Debian image under the OHT-50 install: the authentication log the security procedures read (0640
 * root:adm, as rsyslog keeps it) and the log rotation the deploy script installs for /opt/oht50/logs.
 */

export const SIM_AUTH_LOG = '/var/log/auth.log';
export const SIM_LOGROTATE_CONF = '/etc/logrotate.d/oht50';

/** The deploy script's rotation: daily, 30 kept (vehicle facts: deploy_production.sh). */
const LOGROTATE_CONF =
  '/opt/oht50/logs/*.log {\n    daily\n    rotate 30\n    compress\n    delaycompress\n    missingok\n    notifempty\n    copytruncate\n}\n';

function authLog(name: string, bootedAtMs: number): string {
  const at = (afterBootS: number): string => strftimeUtc(bootedAtMs + afterBootS * 1000, '%b %e %H:%M:%S');
  const lines: [number, string][] = [
    [7, 'systemd-logind[402]: New seat seat0.'],
    [8, 'sshd[512]: Server listening on 0.0.0.0 port 22.'],
    [8, 'sshd[512]: Server listening on :: port 22.'],
    [
      1_800,
      'sshd[1187]: Accepted publickey for orangepi from 192.168.1.50 port 51234 ssh2: ED25519 SHA256:q0bP2a1Zs8h2WcYl3hG9kXo7bL1Qy0nFvD5eTzR4mJc',
    ],
    [1_800, 'sshd[1187]: pam_unix(sshd:session): session opened for user orangepi(uid=1000) by (uid=0)'],
    [1_812, 'sudo: orangepi : PWD=/home/orangepi ; USER=root ; COMMAND=/usr/bin/systemctl status oht50-backend'],
    [2_400, 'sshd[1187]: pam_unix(sshd:session): session closed for user orangepi'],
    [3_600, 'CRON[1402]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)'],
    [3_600, 'CRON[1402]: pam_unix(cron:session): session closed for user root'],
  ];
  return lines.map(([s, text]) => `${at(s)} ${name} ${text}\n`).join('');
}

export function systemFiles(
  name: string,
  bootedAtMs: number,
): { files: Record<string, string>; meta: Record<string, SimNode> } {
  return {
    files: { [SIM_AUTH_LOG]: authLog(name, bootedAtMs), [SIM_LOGROTATE_CONF]: LOGROTATE_CONF },
    meta: {
      [SIM_AUTH_LOG]: { type: 'file', mode: 0o640, uid: 0, gid: SIM_GROUPS.adm ?? 4, mtimeMs: bootedAtMs + 3_600_000 },
      [SIM_LOGROTATE_CONF]: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeMs: bootedAtMs - 30 * 86_400_000 },
    },
  };
}
