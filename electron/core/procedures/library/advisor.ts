import type { ProcedureAdvisor } from '../../diagnostics/findings';
import type { ProcedureLibrary } from './ProcedureLibrary';

/**
 * The procedure a finding preselects: the library's first for the root check and the runbook section it names (the
 * most specific handler, the named section's before others), the technician's own versions included.
 */
export function procedureAdvisor(library: Pick<ProcedureLibrary, 'forCheck'>): ProcedureAdvisor {
  return async (checkId, runbook) => {
    const [best] = await library.forCheck(checkId, runbook);
    return best ? { id: best.id, title: best.title } : null;
  };
}
