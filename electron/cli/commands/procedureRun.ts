import { resolve } from 'node:path';

import { boolOption, parseCommandLine, stringOption } from '../args';
import { EXIT_FAILURE, UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';
import { readAnswersFile } from './procedureRunAnswers';
import { RunDriver } from './procedureRunDriver';
import { terminalPrompter, type Prompter } from './procedureRunPrompter';

export type { Prompter } from './procedureRunPrompter';

export const PROCEDURE_RUN_USAGE = [
  'ohtw procedures run ID --unit NAME [--unit NAME…] [--param KEY=VALUE…] [--answers FILE] [--json]',
  'ohtw procedures run --resume RUN_ID [--answers FILE]',
].join('\n');

function parseParams(values: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq < 1) {
      throw new UsageError(`--param takes KEY=VALUE, not "${value}"`);
    }
    params[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return params;
}

/** `ohtw procedures run`: a run in the terminal, answered by the technician or by an answers file. */
export async function procedureRunCommand(argv: string[], io: CliIo, prompter?: Prompter): Promise<number> {
  const parsed = parseCommandLine(argv, {
    unit: { type: 'string', multiple: true },
    param: { type: 'string', multiple: true },
    answers: { type: 'string' },
    resume: { type: 'string' },
  });
  const [procedureId, ...extra] = parsed.positionals;
  const resume = stringOption(parsed, 'resume');
  const units = (parsed.values.unit as string[] | undefined) ?? [];
  if (extra.length > 0) {
    throw new UsageError(`procedures run takes one procedure ID (got "${parsed.positionals.join(' ')}")`);
  }
  if (resume === undefined && (procedureId === undefined || units.length === 0)) {
    throw new UsageError('procedures run needs a procedure ID and --unit NAME (or --resume RUN_ID)');
  }
  if (resume !== undefined && (procedureId !== undefined || units.length > 0)) {
    throw new UsageError('--resume RUN_ID continues a run: it takes no procedure ID or --unit');
  }
  const answersPath = stringOption(parsed, 'answers');
  const answers = answersPath === undefined ? undefined : await readAnswersFile(resolve(io.cwd, answersPath));
  const params = { ...(answers?.params ?? {}), ...parseParams((parsed.values.param as string[] | undefined) ?? []) };
  const json = boolOption(parsed, 'json');
  if (answers === undefined && prompter === undefined && !process.stdin.isTTY) {
    throw new UsageError('procedures run asks the technician at the terminal: run it in one, or give --answers FILE');
  }

  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  const ask = answers === undefined ? (prompter ?? terminalPrompter()) : undefined;
  try {
    let view =
      resume !== undefined
        ? await session.api.call('procedures.run.get', { runId: resume })
        : await session.api.call('procedures.start', {
            procedureId: procedureId as string,
            units,
            params,
            // The whole sheet is checked against the procedure before the run exists: nothing runs on a refusal.
            ...(answers ? { answers: answers.steps } : {}),
          });
    const driver = new RunDriver(session.api, io, json, answers, ask);
    view = await driver.drive(view);
    if (json) {
      io.out(JSON.stringify(view, null, 2));
    }
    if (view.state === 'running') {
      io.err(
        `run ${view.runId} waits at step "${view.current?.stepId ?? '?'}"; continue it with: ohtw procedures run --resume ${view.runId}`,
      );
      return EXIT_FAILURE;
    }
    return view.state === 'completed' ? 0 : EXIT_FAILURE;
  } finally {
    ask?.close();
    await session.core.close();
  }
}
