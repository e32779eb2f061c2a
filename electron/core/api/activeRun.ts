import type { FeatureDeps } from '../feature';

/**
 * The procedure run active on a unit, if any, through the procedures feature's own list call: a terminal or a saved
 * log view is evidence of that run.
 */
export function activeRunLookup(
  deps: Pick<FeatureDeps, 'calls' | 'face' | 'actor'>,
): (unit: string) => Promise<string | null> {
  const listRuns = deps.calls.handler('procedures.runs');
  return async (unit) => {
    const runs = await listRuns({ unit, limit: 20 }, { face: deps.face, actor: deps.actor() });
    return runs.find((run) => run.state === 'running')?.runId ?? null;
  };
}
