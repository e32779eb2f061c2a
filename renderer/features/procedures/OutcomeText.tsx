import type { AttemptOutcome, GateEvaluation } from '../../../shared/ipc/contracts/procedureRuns';
import { SaidText } from '../../components/SaidText';

/**
 * What a step's attempt came to, in the reader's language; a run recorded before outcomes were kept as words says
 * the English it was recorded with.
 */
export function OutcomeText({ said }: { said: Pick<AttemptOutcome, 'message' | 'say'> }) {
  return said.say ? <SaidText said={said.say} fallback={said.message} /> : <span lang="en">{said.message}</span>;
}

/** A gate's live reading, in the reader's language (the vehicle's own words in it quoted as they came). */
export function GateReading({ gate }: { gate: Pick<GateEvaluation, 'reading' | 'say'> }) {
  return gate.say ? <SaidText said={gate.say} fallback={gate.reading} /> : <span lang="en">{gate.reading}</span>;
}
