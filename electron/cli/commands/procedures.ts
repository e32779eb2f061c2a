import { describeChange } from '../../../shared/domain/jsonDiff';
import { PROCEDURE_CATEGORIES, type Language, type ProcedureCategory } from '../../../shared/domain/procedure';
import { boolOption, intOption, parseCommandLine, stringOption, type Parsed } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { PROCEDURE_RUN_USAGE, procedureRunCommand } from './procedureRun';
import { PROCEDURE_REPORT_USAGE, procedureReportCommand } from './procedureRunReport';
import { openCore } from '../openCore';
import { describeProcedure } from './procedureText';

export const PROCEDURES_USAGE = [
  'ohtw procedures list [--category C] [--query TEXT] [--lang en|vi] [--json]',
  'ohtw procedures show ID [--version N] [--lang en|vi] [--json]',
  PROCEDURE_RUN_USAGE,
  PROCEDURE_REPORT_USAGE,
].join('\n');

type SubCommand = (argv: string[], io: CliIo) => Promise<number>;

/** `ohtw procedures …`: the library's list and show; other subcommands (run) are routed here too. */
export const PROCEDURE_SUBCOMMANDS: Record<string, SubCommand> = {
  list: listCommand,
  show: showCommand,
  run: procedureRunCommand,
  report: procedureReportCommand,
};

export async function proceduresCommand(argv: string[], io: CliIo): Promise<number> {
  const index = argv.findIndex((arg, i) => !arg.startsWith('-') && argv[i - 1] !== '--data-dir');
  const name = index >= 0 ? argv[index] : undefined;
  const sub = name === undefined ? undefined : PROCEDURE_SUBCOMMANDS[name];
  if (!sub) {
    throw new UsageError(
      name === undefined
        ? `procedures needs a subcommand: ${Object.keys(PROCEDURE_SUBCOMMANDS).join(', ')}`
        : `unknown procedures subcommand "${name}" (${Object.keys(PROCEDURE_SUBCOMMANDS).join(', ')})`,
    );
  }
  return sub([...argv.slice(0, index), ...argv.slice(index + 1)], io);
}

const LANG_OPTION = { lang: { type: 'string' } } as const;

function languageOf(parsed: Parsed): Language {
  const lang = stringOption(parsed, 'lang') ?? 'en';
  if (lang !== 'en' && lang !== 'vi') {
    throw new UsageError(`--lang is en or vi, not "${lang}"`);
  }
  return lang;
}

async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {
    ...LANG_OPTION,
    category: { type: 'string' },
    query: { type: 'string' },
  });
  if (parsed.positionals.length > 0) {
    throw new UsageError(`procedures list takes no arguments (got "${parsed.positionals.join(' ')}")`);
  }
  const language = languageOf(parsed);
  const category = stringOption(parsed, 'category');
  if (category !== undefined && !(PROCEDURE_CATEGORIES as readonly string[]).includes(category)) {
    throw new UsageError(`--category is one of ${PROCEDURE_CATEGORIES.join(', ')}, not "${category}"`);
  }
  const query = stringOption(parsed, 'query');
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const procedures = await session.api.call('procedures.list', {
      ...(category === undefined ? {} : { category: category as ProcedureCategory }),
      ...(query === undefined ? {} : { query }),
    });
    const invalid = await session.api.call('procedures.invalid', {});
    for (const file of invalid) {
      for (const problem of file.problems) {
        io.err(`refused ${file.source} procedure ${file.file}: ${problem.path}: ${problem.message}`);
      }
    }
    if (boolOption(parsed, 'json')) {
      io.out(
        JSON.stringify(
          procedures.map((p) => ({
            id: p.id,
            category: p.category,
            title: p.title[language],
            version: p.version,
            source: p.source,
            supersedesShipped: p.supersedesShipped,
          })),
          null,
          2,
        ),
      );
      return 0;
    }
    if (procedures.length === 0) {
      io.out('no procedures');
      return 0;
    }
    const width = Math.max(...procedures.map((p) => p.id.length));
    const lines: string[] = [];
    let heading: string | undefined;
    for (const p of procedures) {
      if (p.category !== heading) {
        heading = p.category;
        lines.push(`${lines.length === 0 ? '' : '\n'}${heading}`);
      }
      const edited =
        p.source === 'shipped'
          ? ''
          : p.supersedesShipped === null
            ? ' (your file)'
            : ` (your file, in place of shipped v${p.supersedesShipped})`;
      lines.push(`  ${p.id.padEnd(width)}  v${p.version}${edited}  ${p.title[language]}`);
    }
    io.out(lines.join('\n'));
    return 0;
  } finally {
    await session.core.close();
  }
}

async function showCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { ...LANG_OPTION, version: { type: 'string' } });
  const [id, ...extra] = parsed.positionals;
  if (id === undefined || extra.length > 0) {
    throw new UsageError('procedures show needs exactly one procedure ID');
  }
  const language = languageOf(parsed);
  const version = intOption(parsed, 'version', 1, 1_000_000);
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const found = await session.api.call('procedures.get', { id, ...(version === undefined ? {} : { version }) });
    if (boolOption(parsed, 'json')) {
      io.out(JSON.stringify(found, null, 2));
      return 0;
    }
    const older = found.versions.filter((v) => v !== found.procedure.version);
    const text = describeProcedure(found.procedure, { language, source: `${found.source} ${found.file}` });
    const parts = [text];
    if (found.supersedes) {
      parts.push(
        [
          `This is your file ${found.file}, in place of the shipped v${found.supersedes.version} (${found.supersedes.file}).`,
          found.changes.length === 0
            ? 'It changes nothing of the shipped version.'
            : `What it changes from the shipped version (${found.changes.length}):`,
          ...found.changes.map((change) => `  ${describeChange(change)}`),
        ].join('\n'),
      );
    }
    if (older.length > 0) {
      parts.push(`Other versions: ${older.map((v) => `v${v}`).join(', ')}`);
    }
    io.out(parts.join('\n\n'));
    return 0;
  } finally {
    await session.core.close();
  }
}
