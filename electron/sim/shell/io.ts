import type { SimVehicle } from '../SimVehicle';

/** Where a file descriptor of a simulated command points. Only 1 and 2 are modelled: stdin is always empty. */
export type FdTarget =
  { kind: 'stream'; stream: 'stdout' | 'stderr' } | { kind: 'null' } | { kind: 'file'; path: string };
export type FdTable = { readonly 1: FdTarget; readonly 2: FdTarget };

export const STANDARD_FDS: FdTable = {
  1: { kind: 'stream', stream: 'stdout' },
  2: { kind: 'stream', stream: 'stderr' },
};

/** What the SSH channel will carry back: the two streams of one exec. */
export class OutputCapture {
  stdout = '';
  stderr = '';

  constructor(private readonly vehicle: SimVehicle) {}

  write(target: FdTarget, text: string): void {
    switch (target.kind) {
      case 'stream':
        this[target.stream] += text;
        return;
      case 'null':
        return;
      case 'file':
        this.vehicle.state.files[target.path] = (this.vehicle.state.files[target.path] ?? '') + text;
        return;
    }
  }
}
