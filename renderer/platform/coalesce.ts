/**
 * Wraps an async refresh so that bursts of triggers (several events in a row) run it at most once at a time,
 * plus once more afterwards if anything asked for it meanwhile: the last trigger is never lost.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let isPending = false;

  const start = (): Promise<void> => {
    running = run().finally(() => {
      running = null;
      if (isPending) {
        isPending = false;
        void start();
      }
    });
    return running;
  };

  return () => {
    if (running) {
      isPending = true;
      return running;
    }
    return start();
  };
}
