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

function stale(id: string, message: string, evidence: string): CheckResult {
  return { id, level: 'STALE', message, evidence };
}

/** The vehicle's own Wi-Fi hotspot (hal_wifi_ap.c): it serves this address when it could not join a network. */
const HOTSPOT_ADDRESS = '192.168.4.1';

export function judgeInterfaces(id: string, link: Probed, addr: Probed): CheckResult {
  const evidence = `${evidenceOf(link.probe, link.output)}\n\n${evidenceOf(addr.probe, addr.output)}`;
  const reason = unusable(link.output) ?? unusable(addr.output);
  if (reason !== null || !link.output || !addr.output) {
    return stale(id, `network interfaces could not be read: ${reason ?? 'no answer'}`, evidence);
  }
  const links = parseIpLinks(link.output.stdout);
  if (links.length === 0) {
    const said = firstLine(link.output.stdout) || 'ip printed nothing';
    return stale(id, `network interfaces could not be read: ${said}`, evidence);
  }
  const addresses = parseIpAddresses(addr.output.stdout);
  if (addresses.length === 0) {
    // Not even loopback's 127.0.0.1: the answer is not a listing.
    const said = firstLine(addr.output.stdout) || 'ip printed nothing';
    return stale(id, `network addresses could not be read: ${said}`, evidence);
  }
  const described: string[] = [];
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
      described.push(`${l.name} up, ${ipv4.join(' ')}`);
    } else if (carrier) {
      described.push(`${l.name} up without an IPv4 address`);
    } else if (up) {
      described.push(`${l.name} no carrier`);
    } else if (/^(eth|wlan|en|wl)/.test(l.name)) {
      // Virtual links that are down (ifb0, dummy0…) say nothing a technician can act on.
      described.push(`${l.name} down`);
    }
  }
  const summary = described.join('; ') || 'no interface besides loopback';
  if (usable.length === 0) {
    return {
      id,
      level: 'ERROR',
      message: `no network interface is up with an IPv4 address (${summary}): the vehicle is off the network`,
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  if (usable.every((u) => u.ipv4.every((a) => a.startsWith(`${HOTSPOT_ADDRESS}/`)))) {
    return {
      id,
      level: 'WARN',
      message: `only the vehicle's own hotspot is up (${summary}): it could not join the site network`,
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  return { id, level: 'OK', message: summary, evidence };
}

export function judgeRoute(id: string, route: Probed): CheckResult {
  const evidence = evidenceOf(route.probe, route.output);
  const reason = unusable(route.output);
  if (reason !== null || !route.output) {
    return stale(id, `routes could not be read: ${reason ?? 'no answer'}`, evidence);
  }
  if (route.output.exitCode !== 0) {
    return stale(
      id,
      `routes could not be read: ${firstLine(route.output.stdout) || `exit ${route.output.exitCode}`}`,
      evidence,
    );
  }
  const defaults = parseDefaultRoutes(route.output.stdout);
  if (defaults.length === 0 && route.output.stdout.trim() !== '') {
    return stale(id, `routes could not be read: ${firstLine(route.output.stdout)}`, evidence);
  }
  if (defaults.length === 0) {
    return {
      id,
      level: 'WARN',
      message: 'no default route: hosts beyond the local subnet (the center server, the internet) cannot be reached',
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  const described = defaults.map((r) =>
    [r.via ? `via ${r.via}` : 'on-link', r.dev ? `on ${r.dev}` : ''].join(' ').trim(),
  );
  return { id, level: 'OK', message: `default route ${described.join('; ')}`, evidence };
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
    return stale(id, `${configPath} could not be read: ${reason ?? 'no answer'}`, configEvidence);
  }
  if (center === null) {
    const said = firstLine(config.output.stdout);
    if (/No such file or directory/.test(said)) {
      return {
        id,
        level: 'WARN',
        message: `${configPath} is missing: the center client has no center server to connect to`,
        evidence: configEvidence,
        runbook: RUNBOOK.serviceWontStart,
      };
    }
    return stale(id, `${configPath} could not be read: ${said || `exit ${config.output.exitCode}`}`, configEvidence);
  }
  switch (center.kind) {
    case 'unreadable':
      return stale(id, `${configPath} does not read as YAML: ${firstLine(config.output.stdout)}`, configEvidence);
    case 'none':
      // A vehicle that runs without a center has no center link to lose; STALE would hide real findings.
      return { id, level: 'OK', message: `no center server configured in ${configPath}`, evidence: configEvidence };
    case 'invalid':
      return {
        id,
        level: 'WARN',
        message: `${configPath} names the center server "${center.value}" (${center.key}), which is not a host name or address`,
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
  const name = `center server ${center.host}${center.port === null ? '' : `:${center.port}`}`;
  const reason = unusable(ping.output);
  if (reason !== null || !ping.output) {
    return stale(id, `${name} (${center.key}) could not be tested: ${reason ?? 'no answer'}`, evidence);
  }
  const text = ping.output.stdout;
  const summary = parsePing(text);
  const resolved = summary?.address && summary.address !== center.host ? ` (${summary.address})` : '';
  if (summary && summary.received > 0) {
    const rtt = summary.rttMs === null ? '' : ` in ${summary.rttMs} ms`;
    return {
      id,
      level: 'OK',
      message: `${name}${resolved} answers ping${rtt}`,
      evidence,
      ...(summary.rttMs === null ? {} : { metrics: { rttMs: summary.rttMs } }),
    };
  }
  if (/not permitted|permission denied/i.test(text)) {
    return stale(id, `${name} could not be tested: ping is not permitted for this user (${firstLine(text)})`, evidence);
  }
  if (summary && ping.output.exitCode === 1) {
    return {
      id,
      level: 'ERROR',
      message: `${name}${resolved} does not answer ping: the vehicle cannot reach its center`,
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  if (ping.output.exitCode === 1 || ping.output.exitCode === 2) {
    // No statistics: the name did not resolve, or there is no route to it.
    const said = firstLine(text)
      .replace(/^ping:\s*/, '')
      .replace(`${center.host}: `, '');
    return {
      id,
      level: 'ERROR',
      message: `${name} cannot be reached: ${said || 'ping failed'}`,
      evidence,
      runbook: RUNBOOK.communication,
    };
  }
  return stale(
    id,
    `${name} could not be tested: ${firstLine(text) || `ping exited ${ping.output.exitCode}`}`,
    evidence,
  );
}

export type PortService = { role: 'backend' | 'firmware'; service: string; port: number };

/** The backend's and the firmware's HTTP ports must be listening, on an address the network can reach. */
export function judgePorts(id: string, listing: Probed, services: readonly PortService[]): CheckResult {
  const evidence = evidenceOf(listing.probe, listing.output);
  const reason = unusable(listing.output);
  if (reason !== null || !listing.output) {
    return stale(id, `listening ports could not be read: ${reason ?? 'no answer'}`, evidence);
  }
  const listeners = parseTcpListeners(listing.output.stdout);
  if (listeners.length === 0) {
    // Not even the sshd this sweep came in through: the answer is not a listing.
    const said = firstLine(listing.output.stdout) || `no listening socket at all (exit ${listing.output.exitCode})`;
    return stale(id, `listening ports could not be read: ${said}`, evidence);
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
        message: `nothing listens on :${s.port}: the ${s.service} API is not answering`,
        evidence,
        runbook,
      };
    }
    if (on.every(isLoopbackAddress)) {
      return {
        id: childId,
        level: 'WARN',
        message: `${s.service} listens on :${s.port} only on ${on.join(', ')}: the network cannot reach it`,
        evidence,
        runbook: RUNBOOK.apiNotResponding,
      };
    }
    const where = on.some(isWildcardAddress) ? 'all addresses' : on.join(', ');
    return { id: childId, level: 'OK', message: `${s.service} listens on :${s.port} (${where})`, evidence };
  });
  const level = judgedLevel(children.map((c) => c.level));
  const faulty = children.filter((c) => c.level !== 'OK');
  const message =
    faulty.length === 0
      ? `${services.map((s) => `${s.service} :${s.port}`).join(' and ')} listening`
      : faulty.map((c) => c.message).join('; ');
  const worst = faulty.find((c) => c.level === level);
  return {
    id,
    level,
    message,
    evidence,
    ...(worst?.runbook === undefined ? {} : { runbook: worst.runbook }),
    children,
  };
}
