import type { Program, ProgramTable } from '../shell/program';
import { curl } from './curl';
import { sh, sudo, timeout } from './exec';
import { journalctl } from './journalctl';
import { ip, netstat, ping, ss } from './network';
import { df, du, head, sleep } from './resources';
import { sqlite3 } from './sqlite3';
import { systemctl } from './systemctl';
import { cat, date, hostname, id, uname, whoami } from './system';
import { colon, echo, falseProgram, printf, trueProgram } from './text';
import { chmod, chown, ln, mkdir, mktemp, mv, rm, rmdir, sha256sum, stat, sync, touch, umask } from './files';
import { find } from './find';
import { tar } from './tar';
import { ps, sysctl, top, vmstat } from './procps';
import { grep, tail } from './search';
import { cp, ls } from './listCopy';
import { pgIsready } from './postgres';
import { iptables } from './iptables';
import { apt, aptGet, logrotate } from './packages';

/** Every command a simulated vehicle knows; anything else is "not found", as on a vehicle without it. */
export const SIM_PROGRAMS: ProgramTable = new Map<string, Program>([
  ['echo', echo],
  ['printf', printf],
  ['true', trueProgram],
  ['false', falseProgram],
  [':', colon],
  ['sh', sh],
  ['dash', sh],
  ['bash', sh],
  ['sudo', sudo],
  ['timeout', timeout],
  ['systemctl', systemctl],
  ['date', date],
  ['uname', uname],
  ['hostname', hostname],
  ['id', id],
  ['whoami', whoami],
  ['cat', cat],
  ['curl', curl],
  ['head', head],
  ['sleep', sleep],
  ['df', df],
  ['du', du],
  ['ip', ip],
  ['ss', ss],
  ['netstat', netstat],
  ['ping', ping],
  ['journalctl', journalctl],
  ['sqlite3', sqlite3],
  ['umask', umask],
  ['mktemp', mktemp],
  ['mkdir', mkdir],
  ['rm', rm],
  ['rmdir', rmdir],
  ['mv', mv],
  ['ln', ln],
  ['chown', chown],
  ['chmod', chmod],
  ['touch', touch],
  ['stat', stat],
  ['sha256sum', sha256sum],
  ['sync', sync],
  ['find', find],
  ['tar', tar],
  ['ps', ps],
  ['top', top],
  ['vmstat', vmstat],
  ['sysctl', sysctl],
  ['grep', grep],
  ['tail', tail],
  ['apt', apt],
  ['apt-get', aptGet],
  ['logrotate', logrotate],
  ['ls', ls],
  ['cp', cp],
  ['pg_isready', pgIsready],
  ['iptables', iptables],
]);
