import { link, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import {
  coversCheck,
  parseProcedure,
  PROCEDURE_CATEGORIES,
  type Procedure,
  type ProcedureCategory,
  type ProcedureProblem,
} from '../../../../shared/domain/procedure';
import { AppError } from '../../../../shared/errors/AppError';
import type { ProcedureFileProblem, ProcedureSummary } from '../../../../shared/ipc/contracts/procedureLibrary';

/**
 * The procedures: the shipped files (resources/procedures/*.json, never written to) and the technician's edited
 * versions (<dataDir>/procedures/<id>.v<version>.json). Every (id, version) is kept, because a run records the
 * version it followed; the highest version of an id is the one offered. A file that fails validation is refused on
 * its own, with its name, the place in it and the reason, and the others still load.
 */

export type ProcedureSource = 'shipped' | 'user';

export type ProcedureEntry = {
  procedure: Procedure;
  source: ProcedureSource;
  /** Where it was read from (the full path). */
  path: string;
};

export type ProcedureCatalog = {
  /** By id, then by version. */
  byId: ReadonlyMap<string, ReadonlyMap<number, ProcedureEntry>>;
  invalid: ProcedureFileProblem[];
};

export type ProcedureDirs = {
  shippedDir: string;
  /** <dataDir>/procedures, or undefined for the shipped procedures only. */
  userDir?: string | undefined;
};

/** Where the shipped procedures are in the application's resources folder (AppLayout.resourcesDir). */
export function shippedProceduresDir(resourcesDir: string): string {
  return join(resourcesDir, 'procedures');
}

export function userProceduresDir(dataDir: string): string {
  return join(dataDir, 'procedures');
}

/** The file name of a saved version: one file per version, so that none is ever rewritten. */
export function versionFileName(id: string, version: number): string {
  return `${id}.v${version}.json`;
}

/** Reads and validates every procedure file; never throws for a bad file, only lists it. */
export async function loadProcedureCatalog(dirs: ProcedureDirs): Promise<ProcedureCatalog> {
  const invalid: ProcedureFileProblem[] = [];
  const byId = new Map<string, Map<number, ProcedureEntry>>();
  const sources: [ProcedureSource, string | undefined][] = [
    ['shipped', dirs.shippedDir],
    ['user', dirs.userDir],
  ];
  for (const [source, dir] of sources) {
    if (dir === undefined) {
      continue;
    }
    for (const path of await jsonFiles(dir)) {
      const read = await readProcedureFile(path);
      if (!read.ok) {
        invalid.push({ file: basename(path), source, problems: read.problems });
        continue;
      }
      const { procedure } = read;
      const versions = byId.get(procedure.id) ?? new Map<number, ProcedureEntry>();
      const taken = versions.get(procedure.version);
      if (taken) {
        invalid.push({
          file: basename(path),
          source,
          problems: [
            {
              path: '$.version',
              message: `${procedure.id} version ${procedure.version} is already in ${taken.source === 'shipped' ? 'the shipped ' : ''}${basename(taken.path)}; an edit is saved as a new version`,
            },
          ],
        });
        continue;
      }
      versions.set(procedure.version, { procedure, source, path });
      byId.set(procedure.id, versions);
    }
  }
  return { byId, invalid };
}

type FileRead = { ok: true; procedure: Procedure } | { ok: false; problems: ProcedureProblem[] };

/** One file: JSON, then the schema; every problem with its place in the file. */
export async function readProcedureFile(path: string): Promise<FileRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, problems: [{ path: '$', message: `cannot be read: ${(error as Error).message}` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '$', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  return parseProcedure(json);
}

async function jsonFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  return names
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .sort()
    .map((name) => join(dir, name));
}

async function folderSignature(dirs: readonly (string | undefined)[]): Promise<string> {
  const parts: string[] = [];
  for (const dir of dirs) {
    if (dir === undefined) {
      continue;
    }
    for (const path of await jsonFiles(dir)) {
      try {
        const info = await stat(path);
        parts.push(`${path}:${info.size}:${info.mtimeMs}`);
      } catch {
        parts.push(`${path}:gone`);
      }
    }
  }
  return parts.join('\n');
}

/** The text of a refusal: the file, then each place and reason. */
export function describeFileProblems(file: string, problems: readonly ProcedureProblem[]): string {
  return `${file}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
}

/**
 * The library over a catalog read fresh from disk for each question, so that a file a technician edits by hand is
 * seen at once (there are a few dozen small files).
 */
export class ProcedureLibrary {
  private cached: { signature: string; catalog: Promise<ProcedureCatalog> } | undefined;

  constructor(private readonly dirs: ProcedureDirs) {}

  /** The catalog, read again only when a file was added, removed or changed (by its size and time). */
  async catalog(): Promise<ProcedureCatalog> {
    const signature = await folderSignature([this.dirs.shippedDir, this.dirs.userDir]);
    if (this.cached?.signature !== signature) {
      const catalog = loadProcedureCatalog(this.dirs);
      this.cached = { signature, catalog };
      catalog.catch(() => {
        if (this.cached?.catalog === catalog) {
          this.cached = undefined;
        }
      });
    }
    return this.cached.catalog;
  }

  /** The latest version of every procedure, filtered, in category order then by title. */
  async list(
    filter: { query?: string | undefined; category?: ProcedureCategory | undefined } = {},
  ): Promise<ProcedureSummary[]> {
    const { byId } = await this.catalog();
    const words = (filter.query ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w !== '');
    const out: ProcedureSummary[] = [];
    for (const versions of byId.values()) {
      const summary = summarize(versions);
      if (filter.category !== undefined && summary.category !== filter.category) {
        continue;
      }
      const haystack = [
        summary.id,
        summary.title.en,
        summary.title.vi,
        summary.summary.en,
        summary.summary.vi,
        summary.runbook,
        ...summary.handlesChecks,
      ]
        .join(' ')
        .toLowerCase();
      if (words.every((w) => haystack.includes(w))) {
        out.push(summary);
      }
    }
    return out.sort(byCategoryThenId);
  }

  /**
   * A procedure at a version (the latest when none is asked), and for a technician's file of a shipped id, the
   * shipped version it takes the place of (the newest shipped one); NOT_FOUND names what exists.
   */
  async get(
    id: string,
    version?: number,
  ): Promise<ProcedureEntry & { versions: number[]; latest: number; shipped: ProcedureEntry | null }> {
    const { byId } = await this.catalog();
    const versions = byId.get(id);
    if (!versions) {
      throw new AppError('NOT_FOUND', `no procedure ${id}`, { details: { id } });
    }
    const numbers = [...versions.keys()].sort((a, b) => a - b);
    const latest = numbers[numbers.length - 1] ?? 1;
    const entry = versions.get(version ?? latest);
    if (!entry) {
      throw new AppError('NOT_FOUND', `procedure ${id} has no version ${version} (it has ${numbers.join(', ')})`, {
        details: { id, version: version ?? null, versions: numbers },
      });
    }
    return { ...entry, versions: numbers, latest, shipped: entry.source === 'user' ? newestShipped(versions) : null };
  }

  /**
   * Saves an edit as the next version in the data folder. The edit names the version it started from; if a newer
   * one was saved meanwhile it is refused rather than silently overwriting that work. Never writes a shipped file,
   * and never rewrites a file: the new version is linked into place only if no file of that name exists.
   */
  async save(
    input: unknown,
    revision: { by: string; at: string; note?: string | undefined },
  ): Promise<{ procedure: Procedure; path: string; from: number | null }> {
    const userDir = this.dirs.userDir;
    if (userDir === undefined) {
      throw new AppError('INTERNAL', 'no data folder to save procedures in');
    }
    const parsed = parseProcedure(input);
    if (!parsed.ok) {
      throw invalidEdit(parsed.problems);
    }
    const edit = parsed.procedure;
    const { byId } = await this.catalog();
    const versions = byId.get(edit.id);
    const latest = versions ? Math.max(...versions.keys()) : null;
    if (latest !== null && edit.version !== latest) {
      throw new AppError(
        'CONFLICT',
        `${edit.id} was edited from version ${edit.version}, but version ${latest} is the latest now: open it again and redo the change`,
        { details: { id: edit.id, from: edit.version, latest } },
      );
    }
    const next = (latest ?? 0) + 1;
    const note = revision.note?.trim();
    const saved = parseProcedure({
      ...(input as object),
      version: next,
      revision: { by: revision.by, at: revision.at, ...(note ? { note } : {}) },
    });
    if (!saved.ok) {
      throw invalidEdit(saved.problems);
    }
    await mkdir(userDir, { recursive: true });
    const path = join(userDir, versionFileName(edit.id, next));
    const temp = join(userDir, `.${versionFileName(edit.id, next)}.${process.pid}.${Date.now()}.tmp`);
    await writeFile(temp, `${JSON.stringify(saved.procedure, null, 2)}\n`, { flag: 'wx' });
    try {
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new AppError('CONFLICT', `${basename(path)} already exists: version ${next} was saved meanwhile`, {
          details: { id: edit.id, version: next },
        });
      }
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    return { procedure: saved.procedure, path, from: latest };
  }

  async invalid(): Promise<ProcedureFileProblem[]> {
    return (await this.catalog()).invalid;
  }

  /**
   * Guided recovery: the procedures whose handlesChecks cover the check; of those, the one of the runbook section
   * the check names first (the verdict's own choice), then one of a section under it (High Error Rate under Alert
   * Actions), each most specific first (the check itself, then its parent, …); then procedures of the named section
   * that do not list the check.
   */
  async forCheck(checkId: string, runbook?: string): Promise<ProcedureSummary[]> {
    const { byId } = await this.catalog();
    const scored: { summary: ProcedureSummary; score: number }[] = [];
    for (const versions of byId.values()) {
      const summary = summarize(versions);
      const covering = summary.handlesChecks.filter((pattern) => coversCheck(pattern, checkId));
      const specificity = Math.max(0, ...covering.map((pattern) => pattern.split('.').length));
      const section =
        runbook === undefined
          ? 0
          : sameRunbookSection(summary.runbook, runbook)
            ? 2
            : withinRunbookSection(summary.runbook, runbook)
              ? 1
              : 0;
      const score = specificity > 0 ? section * 1000 + specificity * 10 : section === 2 ? 5 : 0;
      if (score > 0) {
        scored.push({ summary, score });
      }
    }
    return scored.sort((a, b) => b.score - a.score || byCategoryThenId(a.summary, b.summary)).map((s) => s.summary);
  }
}

/** Runbook references match on their words, so that dashes and spacing written differently still agree. */
export function sameRunbookSection(a: string, b: string): boolean {
  return sectionWords(a) === sectionWords(b);
}

/** Whether section `a` is a part of section `b` ("… › 3. Alert Actions › High Error Rate" of "… › 3. Alert Actions"). */
export function withinRunbookSection(a: string, b: string): boolean {
  return sectionWords(a).startsWith(`${sectionWords(b)} `);
}

function sectionWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function summarize(versions: ReadonlyMap<number, ProcedureEntry>): ProcedureSummary {
  const numbers = [...versions.keys()].sort((a, b) => a - b);
  const latest = versions.get(numbers[numbers.length - 1] ?? 1);
  if (!latest) {
    throw new AppError('INTERNAL', 'a procedure without versions');
  }
  const p = latest.procedure;
  return {
    id: p.id,
    category: p.category,
    title: p.title,
    summary: p.summary,
    version: p.version,
    source: latest.source,
    runbook: p.runbook,
    handlesChecks: p.handlesChecks,
    versions: numbers,
    supersedesShipped: latest.source === 'user' ? (newestShipped(versions)?.procedure.version ?? null) : null,
  };
}

function newestShipped(versions: ReadonlyMap<number, ProcedureEntry>): ProcedureEntry | null {
  const shipped = [...versions.values()].filter((e) => e.source === 'shipped');
  return shipped.sort((a, b) => b.procedure.version - a.procedure.version)[0] ?? null;
}

function byCategoryThenId(a: ProcedureSummary, b: ProcedureSummary): number {
  return (
    PROCEDURE_CATEGORIES.indexOf(a.category) - PROCEDURE_CATEGORIES.indexOf(b.category) || a.id.localeCompare(b.id)
  );
}

function invalidEdit(problems: readonly ProcedureProblem[]): AppError {
  return new AppError('PROCEDURE_INVALID', describeFileProblems('the edited procedure', problems), {
    details: { file: '(edit)', problems: problems.map((p) => ({ path: p.path, message: p.message })) },
  });
}
