import type { SimVehicle } from './SimVehicle';

/**
 * What the exec being answered received on its standard input (the SSH channel's data until EOF). The simulated
 * shell has no pipes, so the first program that reads its input gets all of it, as the first reader of a real pipe
 * does; later readers get nothing. Set only while one exec is answered (answering is synchronous).
 */
const current = new WeakMap<SimVehicle, { data: Buffer }>();

export function withStdin<T>(vehicle: SimVehicle, data: Buffer, answer: () => T): T {
  current.set(vehicle, { data });
  try {
    return answer();
  } finally {
    current.delete(vehicle);
  }
}

/** Takes the exec's input (empty when there is none, or another program read it already). */
export function takeStdin(vehicle: SimVehicle): Buffer {
  const entry = current.get(vehicle);
  if (entry === undefined) {
    return Buffer.alloc(0);
  }
  const { data } = entry;
  entry.data = Buffer.alloc(0);
  return data;
}
