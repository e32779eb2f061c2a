/** 16 MiB per stream: far more than any diagnostic prints, small enough that a runaway command cannot exhaust memory. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export type OutputCollector = {
  push(chunk: Buffer): void;
  /** The collected text; when the cap was hit it ends with a note saying how much was dropped. */
  text(): string;
};

/**
 * Keeps the first `maxBytes` of a stream. Later chunks are counted and dropped, but still accepted, because
 * an SSH channel only closes once its output has been read.
 */
export function createOutputCollector(maxBytes: number = MAX_OUTPUT_BYTES): OutputCollector {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  return {
    push(chunk) {
      const room = maxBytes - kept;
      if (room >= chunk.length) {
        chunks.push(chunk);
        kept += chunk.length;
        return;
      }
      if (room > 0) {
        chunks.push(chunk.subarray(0, room));
        kept += room;
      }
      dropped += chunk.length - Math.max(room, 0);
    },
    text() {
      // Decoding once at the end keeps multi-byte characters that straddle chunks intact.
      const body = Buffer.concat(chunks).toString('utf8');
      if (dropped === 0) {
        return body;
      }
      return `${body}\n[output truncated: kept the first ${kept} bytes, dropped ${dropped} more]\n`;
    },
  };
}
