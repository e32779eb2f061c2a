/**
 * What a technician's file changes from the shipped one it takes the place of, as a list of places and values:
 * "$.steps[reset].gates: ["estop.released"] → []". Lists of objects with an `id` (steps, options, items) are matched
 * by id, so inserting a step shows as one added step, not as every later step changed.
 */

export type JsonChange = {
  /** A JSON path, list entries by id where they have one: `$.steps[reset].gates`. */
  path: string;
  /** The value as JSON text in the shipped file; null when it is not there. */
  shipped: string | null;
  /** The value as JSON text in the technician's file; null when it is not there. */
  edited: string | null;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function diffJson(shipped: unknown, edited: unknown, ignore: readonly string[] = []): JsonChange[] {
  const changes: JsonChange[] = [];
  walk(shipped as Json | undefined, edited as Json | undefined, '$', new Set(ignore), changes);
  return changes;
}

/** One line per change, for a terminal or a report. */
export function describeChange(change: JsonChange): string {
  const shown = (value: string | null): string => (value === null ? '(absent)' : clip(value));
  return `${change.path}: ${shown(change.shipped)} → ${shown(change.edited)}`;
}

function walk(a: Json | undefined, b: Json | undefined, path: string, ignore: ReadonlySet<string>, out: JsonChange[]) {
  if (ignore.has(path) || same(a, b)) {
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      walk(a[key], b[key], `${path}.${key}`, ignore, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const byId = keyedById(a) && keyedById(b);
    if (byId) {
      const left = new Map(a.map((item) => [idOf(item), item]));
      const right = new Map(b.map((item) => [idOf(item), item]));
      for (const id of [...new Set([...left.keys(), ...right.keys()])]) {
        walk(left.get(id), right.get(id), `${path}[${id}]`, ignore, out);
      }
      const order = (list: Json[]) => list.map(idOf).filter((id) => left.has(id) && right.has(id));
      if (!same(order(a), order(b))) {
        out.push({ path: `${path} (order)`, shipped: JSON.stringify(order(a)), edited: JSON.stringify(order(b)) });
      }
      return;
    }
  }
  out.push({
    path,
    shipped: a === undefined ? null : JSON.stringify(a),
    edited: b === undefined ? null : JSON.stringify(b),
  });
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyedById(list: Json[]): boolean {
  const ids = list.map(idOf);
  return list.length > 0 && ids.every((id) => id !== '') && new Set(ids).size === ids.length;
}

function idOf(item: Json): string {
  return isObject(item) && typeof item.id === 'string' ? item.id : '';
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
