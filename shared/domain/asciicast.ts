/*
 * asciicast v2, the recording format of asciinema: a JSON header line, then one JSON array per event,
 * `[seconds since the start, code, data]`. Codes used here: "o" output, "i" input, "r" resize ("COLSxROWS"),
 * "m" marker (a label: where input was left out because it was typed at a prompt that did not echo it).
 */

export type CastHeader = {
  version: 2;
  width: number;
  height: number;
  /** Unix seconds of the start. */
  timestamp: number;
  title?: string;
  env?: Record<string, string>;
};

export type CastEventCode = 'o' | 'i' | 'r' | 'm';
export type CastEvent = [time: number, code: CastEventCode, data: string];

export type Cast = { header: CastHeader; events: CastEvent[] };

/** Times are kept to the microsecond, as asciinema writes them. */
function roundTime(seconds: number): number {
  return Math.round(seconds * 1_000_000) / 1_000_000;
}

export function castEventLine(event: CastEvent): string {
  return JSON.stringify([roundTime(event[0]), event[1], event[2]]);
}

export function serializeCast(cast: Cast): string {
  return `${[JSON.stringify(cast.header), ...cast.events.map(castEventLine)].join('\n')}\n`;
}

const CODES: ReadonlySet<string> = new Set(['o', 'i', 'r', 'm']);

/** Reads a recording; throws with the line number on anything that is not asciicast v2. */
export function parseCast(text: string): Cast {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const [first, ...rest] = lines;
  if (first === undefined) {
    throw new Error('the recording is empty');
  }
  const header = JSON.parse(first) as Partial<CastHeader>;
  if (header.version !== 2 || typeof header.width !== 'number' || typeof header.height !== 'number') {
    throw new Error('line 1 is not an asciicast v2 header');
  }
  const events = rest.map((line, index): CastEvent => {
    const value: unknown = JSON.parse(line);
    if (
      !Array.isArray(value) ||
      value.length !== 3 ||
      typeof value[0] !== 'number' ||
      typeof value[1] !== 'string' ||
      !CODES.has(value[1]) ||
      typeof value[2] !== 'string'
    ) {
      throw new Error(`line ${index + 2} is not an asciicast v2 event`);
    }
    return [value[0], value[1] as CastEventCode, value[2]];
  });
  return { header: header as CastHeader, events };
}

/** The terminal size a resize event names ("80x24"), or null when it does not name one. */
export function parseSize(data: string): { cols: number; rows: number } | null {
  const match = /^(\d{1,4})x(\d{1,4})$/.exec(data);
  return match ? { cols: Number(match[1]), rows: Number(match[2]) } : null;
}

/** The recording's length in seconds: its last event's time. */
export function castDuration(cast: Cast): number {
  return cast.events.length === 0 ? 0 : (cast.events[cast.events.length - 1]?.[0] ?? 0);
}
