import type { CheckResult } from '../../../../shared/domain/health';
import type { Probe } from '../../transport/batch';
import { shellQuote } from '../../transport/transport';
import type { CheckModule, SweepContext } from '../checkModule';
import { centerFromConfig, judgeCenter, judgeInterfaces, judgePorts, judgeRoute, type Probed } from './networkChecks';

const LINK = 'network.link';
const ADDR = 'network.addr';
const ROUTE = 'network.route';
const CONFIG = 'network.config';
const PING = 'network.ping';
const PORTS = 'network.ports';

function configPath(installDir: string): string {
  return `${installDir.length > 1 ? installDir.replace(/\/+$/, '') : ''}/config/system.yaml`;
}

function firstRound(installDir: string): Probe[] {
  return [
    { key: LINK, command: 'ip -o link show', timeoutS: 2 },
    { key: ADDR, command: 'ip -o addr show', timeoutS: 2 },
    { key: ROUTE, command: 'ip route show default', timeoutS: 2 },
    { key: CONFIG, command: `cat ${shellQuote(configPath(installDir))}`, timeoutS: 2 },
    // ss is iproute2's, on every current image; older ones have only net-tools' netstat.
    { key: PORTS, command: 'ss -ltn || netstat -tln', timeoutS: 3 },
  ];
}

/** One answer, or none, within a second: a lost center costs the sweep one second, not a hang. */
function pingProbe(host: string): Probe {
  return { key: PING, command: `ping -c 1 -W 1 ${shellQuote(host)}`, timeoutS: 4 };
}

/**
 * The vehicle's network as the runbook's Communication Failure steps check it (interfaces, routes, the center
 * server) and its Daily Health Checks' listeners. The center server is named in system.yaml on the vehicle, so
 * it is read in the sweep's batch and pinged in a follow-up round over the same connection: the probes are
 * plain commands (no `$(…)` or pipes to pull the host out on the vehicle), and the host is parsed here.
 */
export const networkModule: CheckModule = {
  name: 'network',
  checkIds: ['network.interfaces', 'network.route', 'network.center', 'network.ports'],
  probes: ({ unit }) => firstRound(unit.profile.installDir),
  followUp(_context, outputs) {
    const center = centerFromConfig(outputs.get(CONFIG));
    return center?.kind === 'found' ? [pingProbe(center.host)] : [];
  },
  judge(context: SweepContext, outputs): CheckResult[] {
    const path = configPath(context.unit.profile.installDir);
    const asked = new Map(firstRound(context.unit.profile.installDir).map((p) => [p.key, p]));
    const center = centerFromConfig(outputs.get(CONFIG));
    if (center?.kind === 'found') {
      asked.set(PING, pingProbe(center.host));
    }
    const probed = (key: string): Probed => ({ probe: asked.get(key), output: outputs.get(key) });
    const { profile } = context;
    return [
      judgeInterfaces('network.interfaces', probed(LINK), probed(ADDR)),
      judgeRoute('network.route', probed(ROUTE)),
      judgeCenter('network.center', { config: probed(CONFIG), ping: probed(PING), configPath: path }, center),
      judgePorts('network.ports', probed(PORTS), [
        { role: 'backend', service: profile.backendService, port: profile.backendPort },
        { role: 'firmware', service: profile.firmwareService, port: profile.firmwarePort },
      ]),
    ];
  },
};
