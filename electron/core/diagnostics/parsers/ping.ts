export type PingSummary = {
  /** The address the name resolved to, from the `PING name (address)` line; null when not printed. */
  address: string | null;
  transmitted: number;
  received: number;
  /** Average round trip of the answers, null when none came back. */
  rttMs: number | null;
};

/** Reads the summary of iputils or busybox `ping -c N`; null when the output has no statistics (an error). */
export function parsePing(text: string): PingSummary | null {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(text);
  if (!counts?.[1] || !counts[2]) {
    return null;
  }
  // iputils: `rtt min/avg/max/mdev = 0.412/0.412/0.412/0.000 ms`; busybox: `round-trip min/avg/max = …`.
  const rtt = /(?:rtt|round-trip) min\/avg\/max(?:\/mdev)? = [\d.]+\/([\d.]+)\//.exec(text)?.[1];
  const address = /^PING \S+ \(([^)]+)\)/m.exec(text)?.[1] ?? null;
  return {
    address,
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    rttMs: rtt === undefined ? null : Number(rtt),
  };
}
