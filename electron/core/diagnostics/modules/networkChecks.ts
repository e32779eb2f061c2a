import type { Said, SaidValue } from '../../../../shared/domain/said';
import { asMessage, said, say } from '../../../../shared/domain/words';
import { judgedLevel, type CheckResult } from '../../../../shared/domain/health';
import type { Probe, ProbeOutput } from '../../transport/batch';
import { evidenceOf, firstLine, unusable } from '../checkModule';
import { findCenterServer, type CenterServer } from '../parsers/centerConfig';
import { parseDefaultRoutes, parseIpAddresses, parseIpLinks } from '../parsers/ipRoute';
import { isLoopbackAddress, isWildcardAddress, parseTcpListeners } from '../parsers/listeners';
import { parsePing } from '../parsers/ping';
import { RUNBOOK } from '../runbook';

/** Judges of the network checks: the runbook's Communication Failure steps and its Daily Health Check listeners. */

export type Probed = { probe: Probe | undefined; output: ProbeOutput | undefined };

function stale(id: string, words: Said, evidence: string): CheckResult {
  return { id, level: 'STALE', ...asMessage(words), evidence };
}

/** The first line the vehicle printed, or what to say when it printed nothing. */
const firstLineOr = (text: string, otherwise: SaidValue): SaidValue => {
  const line = firstLine(text);
  return line === '' ? otherwise : { raw: line };
};

/** The vehicle's own Wi-Fi hotspot (hal_wifi_ap.c): it serves this address when it could not join a network. */
const HOTSPOT_ADDRESS = '192.168.4.1';

export function judgeInterfaces(id: string, link: Probed, addr: Probed): CheckResult {
  const evidence = `${evidenceOf(link.probe, link.output)}\n\n${evidenceOf(addr.probe, addr.output)}`;
  const reason = unusable(link.output) ?? unusable(addr.output);
  if (reason !== null || !link.output || !addr.output) {
    return stale(id, say('net.interfacesUnreadable', { reason: reason ?? say('probe.noAnswer') }), evidence);
  }
  const links = parseIpLinks(link.output.stdout);
  if (links.length === 0) {
    const reason = firstLineOr(link.output.stdout, say('net.ipNothing'));
    return stale(id, say('net.interfacesUnreadable', { reason }), evidence);
  }
  const addresses = parseIpAddresses(addr.output.stdout);
  if (addresses.length === 0) {
    // Not even loopback's 127.0.0.1: the answer is not a listing.
    const reason = firstLineOr(addr.output.stdout, say('net.ipNothing'));
    return stale(id, say('net.addressesUnreadable', { reason }), evidence);
  }
  const described: Said[] = [];
  const usable: { name: string; ipv4: string[] }[] = [];
  for (const l of links) {
    if (l.flags.includes('LOOPBACK') || l.linkType === 'loopback') {
      continue;
    }
    const ipv4 = addresses
      .filter((a) => a.name === l.name && a.family === 'inet' && a.scope !== 'host')
      .map((a) => `${a.address}/${a.prefixLength}`);
    const up = l.flags.includes('UP');
    const carrier = up && l.flags.includes('LOWER_UP') && !l.flags.includes('NO-CARRIER');
    if (carrier && ipv4.length > 0) {
      usable.push({ name: l.name, ipv4 });
      described.push(say('net.linkUp', { name: l.name, addresses: ipv4.join(' ') }));
    } else if (carrier) {
      described.push(say('net.linkNoIpv4', { name: l.name }));
    } else if (up) {
      described.push(say('net.linkNoCarrier', { name: l.name }));
    } else if (/^(eth|wlan|en|wl)/.test(l.name)) {
      // Virtual links that are down (ifb0, dummy0…) say nothing a technician can act on.
      described.push(say('net.linkDown', { name: l.name }));
    }
  }
  const summary =
    described.length === 0 ? say('net.onlyLoopback') : say('net.summary', { links: { list: described, by: '; ' } });
  if (usable.length === 0) {
    return {
      id,
      level: 'ERROR',
      ...said('net.offNetwork', { summary }),
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  if (usable.every((u) => u.ipv4.every((a) => a.startsWith(`${HOTSPOT_ADDRESS}/`)))) {
    return {
      id,
      level: 'WARN',
      ...said('net.hotspotOnly', { summary }),
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  return { id, level: 'OK', ...asMessage(summary), evidence };
}

export function judgeRoute(id: string, route: Probed): CheckResult {
  const evidence = evidenceOf(route.probe, route.output);
  const reason = unusable(route.output);
  if (reason !== null || !route.output) {
    return stale(id, say('net.routesUnreadable', { reason: reason ?? say('probe.noAnswer') }), evidence);
  }
  if (route.output.exitCode !== 0) {
    const reason = firstLineOr(route.output.stdout, say('net.exit', { exit: route.output.exitCode ?? '?' }));
    return stale(id, say('net.routesUnreadable', { reason }), evidence);
  }
  const defaults = parseDefaultRoutes(route.output.stdout);
  if (defaults.length === 0 && route.output.stdout.trim() !== '') {
    return stale(id, say('net.routesUnreadable', { reason: { raw: firstLine(route.output.stdout) } }), evidence);
  }
  if (defaults.length === 0) {
    return {
      id,
      level: 'WARN',
      ...said('net.noDefaultRoute'),
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  const described = defaults.map((r) => {
    const how = r.via ? say('net.via', { gateway: r.via }) : say('net.onLink');
    return r.dev ? say('net.routeOn', { how, dev: r.dev }) : how;
  });
  return { id, level: 'OK', ...said('net.defaultRoute', { routes: { list: described, by: '; ' } }), evidence };
}

export type CenterProbes = { config: Probed; ping: Probed; configPath: string };

/** Reads the center server out of the config answer; null when the file could not be read at all. */
export function centerFromConfig(output: ProbeOutput | undefined): CenterServer | null {
  if (unusable(output) !== null || !output || output.exitCode !== 0) {
    return null;
  }
  return findCenterServer(output.stdout);
}

export function judgeCenter(id: string, probes: CenterProbes, center: CenterServer | null): CheckResult {
  const { config, ping, configPath } = probes;
  const configEvidence = evidenceOf(config.probe, config.output);
  const reason = unusable(config.output);
  if (reason !== null || !config.output) {
    return stale(
      id,
      say('net.configUnreadable', { path: configPath, reason: reason ?? say('probe.noAnswer') }),
      configEvidence,
    );
  }
  if (center === null) {
    const line = firstLine(config.output.stdout);
    if (/No such file or directory/.test(line)) {
      return {
        id,
        level: 'WARN',
        ...said('net.configMissing', { path: configPath }),
        evidence: configEvidence,
        runbook: RUNBOOK.serviceWontStart,
      };
    }
    const why = line === '' ? say('net.exit', { exit: config.output.exitCode ?? '?' }) : { raw: line };
    return stale(id, say('net.configUnreadable', { path: configPath, reason: why }), configEvidence);
  }
  switch (center.kind) {
    case 'unreadable':
      return stale(
        id,
        say('net.notYaml', { path: configPath, line: { raw: firstLine(config.output.stdout) } }),
        configEvidence,
      );
    case 'none':
      // A vehicle that runs without a center has no center link to lose; STALE would hide real findings.
      return { id, level: 'OK', ...said('net.noCenter', { path: configPath }), evidence: configEvidence };
    case 'invalid':
      return {
        id,
        level: 'WARN',
        ...said('net.badCenter', { path: configPath, value: { raw: center.value }, key: center.key }),
        evidence: configEvidence,
        runbook: RUNBOOK.communication,
      };
    case 'found':
      return judgePing(id, center, ping, `${configEvidence}\n\n${evidenceOf(ping.probe, ping.output)}`);
  }
}

function judgePing(
  id: string,
  center: { host: string; port: number | null; key: string },
  ping: Probed,
  evidence: string,
): CheckResult {
  const name = say('net.centerName', {
    host: center.host,
    port: center.port === null ? '' : say('net.port', { port: center.port }),
  });
  const reason = unusable(ping.output);
  if (reason !== null || !ping.output) {
    return stale(
      id,
      say('net.cannotTest', { name, key: center.key, reason: reason ?? say('probe.noAnswer') }),
      evidence,
    );
  }
  const text = ping.output.stdout;
  const summary = parsePing(text);
  const resolved =
    summary?.address && summary.address !== center.host ? say('net.resolved', { address: summary.address }) : '';
  if (summary && summary.received > 0) {
    const rtt = summary.rttMs === null ? '' : say('net.rtt', { ms: summary.rttMs });
    return {
      id,
      level: 'OK',
      ...said('net.pingOk', { name, resolved, rtt }),
      evidence,
      ...(summary.rttMs === null ? {} : { metrics: { rttMs: summary.rttMs } }),
    };
  }
  if (/not permitted|permission denied/i.test(text)) {
    return stale(id, say('net.pingNotPermitted', { name, line: { raw: firstLine(text) } }), evidence);
  }
  if (summary && ping.output.exitCode === 1) {
    return {
      id,
      level: 'ERROR',
      ...said('net.pingSilent', { name, resolved }),
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  if (ping.output.exitCode === 1 || ping.output.exitCode === 2) {
    // No statistics: the name did not resolve, or there is no route to it.
    const line = firstLine(text)
      .replace(/^ping:\s*/, '')
      .replace(`${center.host}: `, '');
    return {
      id,
      level: 'ERROR',
      ...said('net.unreachable', { name, reason: line === '' ? say('net.pingFailed') : { raw: line } }),
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  const why = firstLineOr(text, say('net.pingExited', { exit: ping.output.exitCode ?? '?' }));
  return stale(id, say('net.pingUntested', { name, reason: why }), evidence);
}

export type PortService = { role: 'backend' | 'firmware'; service: string; port: number };

/** The backend's and the firmware's HTTP ports must be listening, on an address the network can reach. */
export function judgePorts(id: string, listing: Probed, services: readonly PortService[]): CheckResult {
  const evidence = evidenceOf(listing.probe, listing.output);
  const reason = unusable(listing.output);
  if (reason !== null || !listing.output) {
    return stale(id, say('net.portsUnreadable', { reason: reason ?? say('probe.noAnswer') }), evidence);
  }
  const listeners = parseTcpListeners(listing.output.stdout);
  if (listeners.length === 0) {
    // Not even the sshd this sweep came in through: the answer is not a listing.
    const why = firstLineOr(listing.output.stdout, say('net.noSocket', { exit: listing.output.exitCode ?? '?' }));
    return stale(id, say('net.portsUnreadable', { reason: why }), evidence);
  }
  const missing = services.filter((s) => !listeners.some((l) => l.port === s.port));
  const runbook = missing.length === services.length ? RUNBOOK.systemDown : RUNBOOK.apiNotResponding;
  const children = services.map((s): CheckResult => {
    const childId = `${id}.${s.role}`;
    const on = listeners.filter((l) => l.port === s.port).map((l) => l.address);
    if (on.length === 0) {
      return {
        id: childId,
        level: 'ERROR',
        ...said('net.nothingListens', { port: s.port, service: s.service }),
        evidence,
        runbook,
      };
    }
    if (on.every(isLoopbackAddress)) {
      return {
        id: childId,
        level: 'WARN',
        ...said('net.loopbackOnly', { service: s.service, port: s.port, addresses: on.join(', ') }),
        evidence,
        runbook: RUNBOOK.apiNotResponding,
      };
    }
    const where = on.some(isWildcardAddress) ? say('net.allAddresses') : on.join(', ');
    return { id: childId, level: 'OK', ...said('net.listens', { service: s.service, port: s.port, where }), evidence };
  });
  const level = judgedLevel(children.map((c) => c.level));
  const faulty = children.filter((c) => c.level !== 'OK');
  const [first, second] = services.map((s) => say('net.servicePort', { service: s.service, port: s.port }));
  const listening = first === undefined ? '' : second === undefined ? first : say('api.and', { a: first, b: second });
  const message =
    faulty.length === 0
      ? asMessage(say('net.listening', { services: listening }))
      : faulty.length === 1 && faulty[0]
        ? { message: faulty[0].message, say: faulty[0].say }
        : asMessage(say('net.summary', { links: { list: faulty.map((c) => c.say ?? { raw: c.message }), by: '; ' } }));
  const worst = faulty.find((c) => c.level === level);
  return {
    id,
    level,
    ...message,
    evidence,
    ...(worst?.runbook === undefined ? {} : { runbook: worst.runbook }),
    children,
  };
}
