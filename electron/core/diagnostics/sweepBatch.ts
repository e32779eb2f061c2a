import { StringDecoder } from 'node:string_decoder';

import { AppError } from '../../../shared/errors/AppError';
import {
  BatchOutputReader,
  buildBatchScript,
  newNonce,
  parseBatchOutput,
  probeSeconds,
  type Probe,
  type ProbeOutput,
} from '../transport/batch';
import { buildParallelBatchScript, FALLBACK_EXIT_CODES, parallelBudgetS } from '../transport/parallelBatch';
import { hasStreamExec, type CommandChannel, type StreamChannel } from '../transport/transport';

/** How the probes of one batch run on the vehicle: all at once (the default), or one after another. */
export type BatchMode = 'parallel' | 'serial';

export type BatchOptions = {
  mode: BatchMode;
  signal?: AbortSignal | undefined;
  /** Called with each probe's answer as soon as it is in (as the output streams, where the channel can). */
  onOutput?: ((output: ProbeOutput) => void) | undefined;
};

/** Headroom over the probes' own limits, for the connection itself. */
const BATCH_OVERHEAD_MS = 5_000;

/** Runs the probes as one script over one exec and returns every probe's answer (truncated where none came). */
export async function runProbeBatch(
  channel: CommandChannel,
  probes: readonly Probe[],
  options: BatchOptions,
): Promise<Map<string, ProbeOutput>> {
  const keys = probes.map((p) => p.key);
  if (options.mode === 'parallel') {
    const nonce = newNonce();
    const script = buildParallelBatchScript(probes, nonce);
    const budgetMs = parallelBudgetS(probes) * 1000 + BATCH_OVERHEAD_MS;
    const run = hasStreamExec(channel)
      ? await streamBatch(channel, script, nonce, budgetMs, options)
      : await execBatch(channel, script, nonce, budgetMs, options);
    const answered = [...run.reader.finish(keys).values()].some((o) => !o.truncated);
    if (answered || run.exitCode === null || !FALLBACK_EXIT_CODES.includes(run.exitCode)) {
      return withLimits(run.reader.finish(keys), probes);
    }
    // No `timeout` on the vehicle, or nowhere to write the answers: the probes go one after another instead.
  }
  const nonce = newNonce();
  // One after another, the batch may take as long as the probes' limits added up.
  const budgetMs = probes.reduce((sum, p) => sum + probeSeconds(p) * 1000, 0) + BATCH_OVERHEAD_MS;
  const result = await channel.exec(buildBatchScript(probes, nonce), { timeoutMs: budgetMs, signal: options.signal });
  const outputs = withLimits(parseBatchOutput(result.stdout, nonce, keys), probes);
  outputs.forEach((output) => options.onOutput?.(output));
  return outputs;
}

/** Each answer with its probe's limit, so that a check can say how long a probe that timed out was given. */
function withLimits(outputs: Map<string, ProbeOutput>, probes: readonly Probe[]): Map<string, ProbeOutput> {
  for (const probe of probes) {
    const output = outputs.get(probe.key);
    if (output) {
      outputs.set(probe.key, { ...output, timeoutS: probeSeconds(probe) });
    }
  }
  return outputs;
}

type BatchRun = { reader: BatchOutputReader; exitCode: number | null };

async function execBatch(
  channel: CommandChannel,
  script: string,
  nonce: string,
  budgetMs: number,
  options: BatchOptions,
): Promise<BatchRun> {
  const result = await channel.exec(script, { timeoutMs: budgetMs, signal: options.signal });
  const reader = new BatchOutputReader(nonce);
  reader.push(result.stdout).forEach((output) => options.onOutput?.(output));
  return { reader, exitCode: result.exitCode };
}

/** The script's output read as it streams, so that each answer is used as soon as it is in. */
async function streamBatch(
  channel: CommandChannel & StreamChannel,
  script: string,
  nonce: string,
  budgetMs: number,
  options: BatchOptions,
): Promise<BatchRun> {
  const reader = new BatchOutputReader(nonce);
  const decoder = new StringDecoder('utf8');
  const run = channel.execStream(script, { idleTimeoutMs: budgetMs, signal: options.signal });
  let overrun = false;
  const timer = setTimeout(() => {
    overrun = true;
    run.cancel(`the diagnosis batch ran past ${budgetMs / 1000} s`);
  }, budgetMs);
  const take = (text: string): void => reader.push(text).forEach((output) => options.onOutput?.(output));
  run.stdout.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
  try {
    const end = await run.done;
    take(decoder.end());
    return { reader, exitCode: end.exitCode };
  } catch (error) {
    if (overrun) {
      throw new AppError('TRANSPORT_TIMEOUT', `the diagnosis batch did not finish within ${budgetMs / 1000} s`, {
        details: { timeoutMs: budgetMs },
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
