import type { Probe, ProbeOutput } from '../../transport/batch';
import { unusable } from '../checkModule';
import { chainTimeoutS, curlChain, parseChain, type HttpOutcome, type HttpRequestSpec } from './apiCurl';

/**
 * The firmware's state machine (/api/v1/system/state) is what two checks need: api.firmware judges it, and
 * safety.estop compares it with the E-Stop input. One probe per port asks it once per sweep (the sweep runs a
 * probe that two modules name alike once), and each module reads the answer in the form it judges.
 */

export const firmwareStateKey = (port: number): string => `firmware.state.${port}`;

const STATE_SPEC: HttpRequestSpec = { label: 'system state', path: '/api/v1/system/state', body: true, maxTimeS: 2 };

export function firmwareStateProbe(port: number): Probe {
  return { key: firmwareStateKey(port), command: curlChain(port, [STATE_SPEC]), timeoutS: chainTimeoutS([STATE_SPEC]) };
}

/** The answer as one HTTP request (status, body, time), or undefined when there is none to judge. */
export function firmwareStateOutcome(port: number, output: ProbeOutput | undefined): HttpOutcome | undefined {
  if (!output || unusable(output) !== null) {
    return undefined;
  }
  return parseChain(port, [STATE_SPEC], output.stdout).outcomes[0];
}

/** The answer as a plain `curl -sS` of the endpoint gives it: curl's exit status, and the body as stdout. */
export function firmwareStateAsCurl(port: number, output: ProbeOutput | undefined): ProbeOutput | undefined {
  if (!output || unusable(output) !== null) {
    return output;
  }
  const chain = parseChain(port, [STATE_SPEC], output.stdout);
  const outcome = chain.outcomes[0];
  return outcome?.ran === true
    ? { ...output, exitCode: outcome.answer.exitCode, stdout: outcome.answer.body }
    : { ...output, exitCode: chain.lastExit ?? output.exitCode, stdout: chain.trailer };
}
