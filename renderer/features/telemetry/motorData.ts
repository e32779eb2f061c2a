import type { TelemetrySample } from '../../../shared/domain/telemetry';
import type { TimeSpan } from './viewport';

export const MOTOR_METRICS = ['backend.motor_speed', 'backend.motor_temperature'] as const;

/** Why a motor chart has nothing to draw, each said in words by `telemetry.noMotor.<reason>`. */
export type NoMotorReason =
  | 'login'
  | 'refused'
  | 'notListening'
  | 'noAnswer'
  | 'notTelemetry'
  | 'noFields'
  | 'noCurl'
  | 'connection'
  | 'backendOther'
  | 'notRecorded';

/**
 * Why the samples in the span carry no motor reading, or null when at least one does (or there are no samples at
 * all: the panel says it is waiting). The reason is read from the newest sample's problems, as the sampler words
 * them (`backend API :8000: …`, `connection: …`).
 */
export function noMotorReason(samples: readonly TelemetrySample[], span: TimeSpan): NoMotorReason | null {
  const inSpan = samples.filter((s) => s.at >= span.fromMs && s.at <= span.toMs);
  if (inSpan.length === 0 || inSpan.some((s) => MOTOR_METRICS.some((m) => s.metrics[m] !== undefined))) {
    return null;
  }
  for (let i = inSpan.length - 1; i >= 0; i -= 1) {
    const problems = inSpan[i]!.problems ?? [];
    const reason = reasonOf(problems);
    if (reason) {
      return reason;
    }
  }
  return 'notRecorded';
}

function reasonOf(problems: readonly string[]): NoMotorReason | null {
  if (problems.some((p) => p.startsWith('connection:'))) {
    return 'connection';
  }
  const backend = problems.find((p) => p.startsWith('backend API'));
  if (backend === undefined) {
    return null;
  }
  const said = backend.slice(backend.indexOf(': ') + 2);
  if (/refused: .*(authenticat|credential|token|login|unauthori[sz]ed)/i.test(said)) {
    return 'login';
  }
  if (/ refused: /.test(said)) {
    return 'refused';
  }
  if (/connection refused|host not resolved/.test(said)) {
    return 'notListening';
  }
  if (/timed out|no answer|empty reply|connection reset/.test(said)) {
    return 'noAnswer';
  }
  if (/did not answer JSON| answered /.test(said)) {
    return 'notTelemetry';
  }
  if (/has no numeric/.test(said)) {
    return 'noFields';
  }
  if (/tool is missing/.test(said)) {
    return 'noCurl';
  }
  return 'backendOther';
}
