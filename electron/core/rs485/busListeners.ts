import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import type { LateReply } from './lateReplies';
import type { BusFrame } from './modbusTypes';

/** Who listens to a master: every frame (the monitor), and the late replies (a scan). A failing listener is logged. */
export class BusListeners {
  private readonly frames = new Set<(frame: BusFrame) => void>();
  private readonly lates = new Set<(late: LateReply) => void>();

  constructor(private readonly deps: { clock: Clock; logger: Logger }) {}

  onFrame(listener: (frame: BusFrame) => void): () => void {
    this.frames.add(listener);
    return () => this.frames.delete(listener);
  }

  onLate(listener: (late: LateReply) => void): () => void {
    this.lates.add(listener);
    return () => this.lates.delete(listener);
  }

  /** A frame on the line; its meaning is worded only when someone listens. */
  frame(direction: BusFrame['direction'], bytes: Uint8Array, crcOk: boolean, meaning: string | (() => string)): void {
    if (this.frames.size === 0) {
      return;
    }
    const frame: BusFrame = {
      at: this.deps.clock.now(),
      direction,
      bytes: Uint8Array.from(bytes),
      crcOk,
      meaning: typeof meaning === 'string' ? meaning : meaning(),
    };
    this.each(this.frames, frame, 'a bus frame listener failed');
  }

  late(late: LateReply): void {
    this.each(this.lates, late, 'a late-reply listener failed');
  }

  private each<T>(listeners: Set<(value: T) => void>, value: T, failure: string): void {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.deps.logger.warn(failure, { error: String(error) });
      }
    }
  }
}
