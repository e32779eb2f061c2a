export type LoadAverage = { one: number; five: number; fifteen: number; running: number; processes: number };

const LOADAVG_LINE = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)\/(\d+) \d+$/;

/** The /proc/loadavg line (`0.52 0.48 0.40 1/187 1234`) wherever it stands in a probe's output; null when absent. */
export function parseLoadavg(text: string): LoadAverage | null {
  for (const line of text.split('\n')) {
    const match = LOADAVG_LINE.exec(line.trim());
    if (match) {
      const [one, five, fifteen, running, processes] = match.slice(1, 6).map(Number);
      return {
        one: one ?? 0,
        five: five ?? 0,
        fifteen: fifteen ?? 0,
        running: running ?? 0,
        processes: processes ?? 0,
      };
    }
  }
  return null;
}
