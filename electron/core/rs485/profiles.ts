import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

import {
  MODULE_TYPES,
  type ModuleType,
  type RegisterBlock,
  type RegisterDef,
  type Rs485Profile,
} from '../../../shared/domain/rs485Profile';
import { diffJson, type JsonChange } from '../../../shared/domain/jsonDiff';
import { hex4 } from '../../../shared/domain/rs485Text';
import { AppError, type JsonValue } from '../../../shared/errors/AppError';
import { invalid, messageOf, parseBlockText, parseJson, parseProfileText, resolveProfile } from './profileParsing';

/**
 * The register-map profiles: the shipped files (resources/rs485/{profiles,blocks}) and the technician's own in
 * <dataDir>/rs485-profiles/. A user file whose id equals a shipped one overrides it; a user file with a new id adds a
 * variant. Nothing here ever writes into the shipped folder. A bad user file is refused on its own (with its name,
 * the place in it and the reason) and the rest still load; a bad shipped file is a broken build and refuses them all.
 */

export type ProfileProblem = { file: string; message: string };

export type ProfileCatalog = {
  /** Every usable profile, a user override in place of the shipped one it shadows; sorted by id. */
  profiles: Rs485Profile[];
  /** Shipped profiles hidden by a user override of the same id. */
  shadowed: Rs485Profile[];
  /** User files that were refused. */
  problems: ProfileProblem[];
  /** Things the technician should know, e.g. that the shipped map moved on since a user copy was made. */
  notices: string[];
};

export type ProfileDirs = {
  /** Folder holding `profiles/` and `blocks/` as shipped. */
  shippedDir: string;
  /** <dataDir>/rs485-profiles, or undefined for shipped only. */
  userDir?: string | undefined;
};

/** Which variant the technician chose per module type; absent types use the profile marked default. */
export type VariantSelection = Partial<Record<ModuleType, string>>;

const SELECTION_FILE = 'selection.json';
const USER_BLOCKS = 'blocks';

/** Where the shipped maps are in the application's resources folder (AppLayout.resourcesDir). */
export function shippedRs485Dir(resourcesDir: string): string {
  return join(resourcesDir, 'rs485');
}

export function userProfilesDir(dataDir: string): string {
  return join(dataDir, 'rs485-profiles');
}

type Loaded<T> = { file: string; value: T };

/** Reads every profile; throws only for a broken shipped file. */
export async function loadProfileCatalog(dirs: ProfileDirs): Promise<ProfileCatalog> {
  const problems: ProfileProblem[] = [];
  const notices: string[] = [];

  const shippedBlocks = await readAll(join(dirs.shippedDir, 'blocks'), parseBlockText, 'shipped');
  const shippedFiles = await readAll(join(dirs.shippedDir, 'profiles'), parseProfileText, 'shipped');
  const userBlocks = dirs.userDir ? await readAll(join(dirs.userDir, USER_BLOCKS), parseBlockText, problems) : [];
  const userFiles = dirs.userDir ? await readAll(dirs.userDir, parseProfileText, problems) : [];

  const shippedBlockMap = indexBlocks(shippedBlocks, 'shipped', problems);
  const blocks = new Map(shippedBlockMap);
  for (const [id, block] of indexBlocks(userBlocks, 'user', problems)) {
    blocks.set(id, block);
  }

  // Shipped profiles are resolved against the shipped blocks only: a user block never breaks a shipped map.
  const shipped = new Map<string, Rs485Profile>();
  for (const { file, value } of shippedFiles) {
    if (shipped.has(value.id)) {
      throw new AppError('VALIDATION', `${file}: profile id ${value.id} is used by two shipped files`, {
        details: { file, id: value.id },
      });
    }
    shipped.set(value.id, resolveProfile(value, file, 'shipped', shippedBlockMap));
  }

  const user = new Map<string, Rs485Profile>();
  for (const { file, value } of userFiles) {
    try {
      if (user.has(value.id)) {
        throw invalid(file, [
          `id: profile id ${value.id} is already used by ${user.get(value.id)?.file ?? 'another file'}`,
        ]);
      }
      user.set(value.id, resolveProfile(value, file, 'user', blocks));
    } catch (error) {
      problems.push({ file, message: messageOf(error) });
    }
  }

  const profiles = new Map(shipped);
  const shadowed: Rs485Profile[] = [];
  for (const [id, loaded] of user) {
    const original = shipped.get(id);
    const profile = keepShippedFlags(
      loaded,
      original ? [original] : [...shipped.values()].filter((p) => p.moduleType === loaded.moduleType),
      original,
    );
    if (original) {
      if (original.moduleType !== profile.moduleType) {
        problems.push({
          file: profile.file,
          message: `${profile.file}: moduleType: overrides ${id}, a ${original.moduleType} map, but says ${profile.moduleType}`,
        });
        continue;
      }
      shadowed.push(original);
      notices.push(...versionNotices(profile, original));
    }
    profiles.set(id, profile);
  }
  const sorted = [...profiles.values()].sort((a, b) => a.id.localeCompare(b.id));
  notices.push(...defaultNotices(sorted));
  return { profiles: sorted, shadowed, problems, notices };
}

/** The profile used for a module type: the selected variant, else the one marked default, else the first. */
export function selectProfile(
  catalog: Pick<ProfileCatalog, 'profiles'>,
  moduleType: ModuleType,
  selection: VariantSelection = {},
): { profile: Rs485Profile; note?: string } {
  const candidates = catalog.profiles.filter((p) => p.moduleType === moduleType);
  const fallback = candidates.find((p) => p.default === true) ?? candidates[0];
  if (!fallback) {
    throw new AppError('NOT_FOUND', `there is no register map for the ${moduleType} module`, {
      details: { moduleType },
    });
  }
  const wanted = selection[moduleType];
  if (wanted === undefined) {
    return { profile: fallback };
  }
  const chosen = candidates.find((p) => p.variant === wanted);
  if (!chosen) {
    return {
      profile: fallback,
      note: `the ${moduleType} map variant "${wanted}" is not available (${candidates.map((p) => p.variant).join(', ')}); using ${fallback.variant}`,
    };
  }
  return { profile: chosen };
}

/** The register a write or a look-up names, by camelCase name or by address ("0x0023", 35). */
export function findRegister(profile: Rs485Profile, ref: string | number): RegisterDef | undefined {
  if (typeof ref === 'number') {
    return profile.registers.find((r) => r.address === ref);
  }
  const byName = profile.registers.find((r) => r.name === ref);
  if (byName) {
    return byName;
  }
  if (/^(0x[0-9a-f]{1,4}|\d{1,5})$/i.test(ref)) {
    const address = ref.toLowerCase().startsWith('0x') ? Number.parseInt(ref, 16) : Number(ref);
    return profile.registers.find((r) => r.address === address);
  }
  return undefined;
}

/**
 * A technician's map never loosens what the shipped maps hold for safety: a register at an address the shipped map
 * (the one it takes the place of, or for a new variant every shipped map of its module type) marks safety-critical
 * stays safety-critical, and one it marks read-only stays read-only. What was kept is listed, and a map that takes the
 * place of a shipped one carries what it changes from it.
 */
export function keepShippedFlags(
  profile: Rs485Profile,
  shippedMaps: readonly Rs485Profile[],
  original: Rs485Profile | undefined,
): Rs485Profile {
  const guarded = new Map<number, { safetyCritical: boolean; readOnly: boolean }>();
  for (const map of shippedMaps) {
    for (const def of map.registers) {
      const seen = guarded.get(def.address) ?? { safetyCritical: false, readOnly: false };
      guarded.set(def.address, {
        safetyCritical: seen.safetyCritical || def.safetyCritical,
        readOnly: seen.readOnly || def.access === 'R',
      });
    }
  }
  const keptFlags: string[] = [];
  const registers = profile.registers.map((def) => {
    const rule = guarded.get(def.address);
    if (!rule) {
      return def;
    }
    const loosened = (rule.safetyCritical && !def.safetyCritical) || (rule.readOnly && def.access !== 'R');
    if (!loosened) {
      return def;
    }
    const flags = [rule.readOnly ? 'read-only' : '', rule.safetyCritical ? 'safety-critical' : ''].filter(Boolean);
    keptFlags.push(`${hex(def.address)} ${def.name}: ${flags.join(' and ')} as shipped`);
    const { afterWrite: _afterWrite, ...rest } = def;
    return {
      ...(rule.readOnly ? rest : def),
      access: rule.readOnly ? ('R' as const) : def.access,
      safetyCritical: def.safetyCritical || rule.safetyCritical,
    };
  });
  const supersedes = original
    ? { version: original.version, file: original.file, changes: mapChanges(original, profile) }
    : undefined;
  return { ...profile, registers, keptFlags, supersedes };
}

/** What a technician's map changes from the shipped one, registers matched by their name. */
function mapChanges(shipped: Rs485Profile, edited: Rs485Profile): JsonChange[] {
  const comparable = (p: Rs485Profile) => ({
    ...p,
    registers: p.registers.map((r) => ({ id: r.name, ...r })),
  });
  return diffJson(comparable(shipped), comparable(edited), [
    '$.version',
    '$.basedOnVersion',
    '$.origin',
    '$.file',
    '$.source',
  ]);
}

// ── the technician's files ─────────────────────────────────────────────────────────────────────────────

/**
 * Saves a user profile as <userDir>/<id>.json, as written (hex addresses stay hex), after checking that it parses and
 * resolves against the blocks; never into the shipped folder.
 */
export async function saveUserProfile(dirs: Required<ProfileDirs>, content: unknown): Promise<string> {
  refuseShippedTarget(dirs);
  const text = `${JSON.stringify(content, null, 2)}\n`;
  const parsed = parseProfileText(text, 'the edited profile');
  const target = join(dirs.userDir, `${parsed.id}.json`);
  const blocks = indexBlocks(
    [
      ...(await readAll(join(dirs.shippedDir, 'blocks'), parseBlockText, 'shipped')),
      ...(await readAll(join(dirs.userDir, USER_BLOCKS), parseBlockText, [])),
    ],
    'user',
    [],
  );
  resolveProfile(parsed, target, 'user', blocks);
  await mkdir(dirs.userDir, { recursive: true });
  await writeAtomically(target, text);
  return target;
}

/** Starts an edit: the shipped profile copied to the user folder, remembering which version it came from. */
export async function copyShippedToUser(dirs: Required<ProfileDirs>, id: string): Promise<string> {
  const shippedFiles = await readAll(join(dirs.shippedDir, 'profiles'), parseProfileText, 'shipped');
  const found = shippedFiles.find((f) => f.value.id === id);
  if (!found) {
    throw new AppError('NOT_FOUND', `there is no shipped register map ${id}`, { details: { id } });
  }
  const raw = JSON.parse(await readFile(found.file, 'utf8')) as Record<string, JsonValue>;
  return saveUserProfile(dirs, { ...raw, basedOnVersion: found.value.version });
}

/** Drops the technician's version of a profile, so the shipped one applies again. False if there was none. */
export async function removeUserProfile(userDir: string, id: string): Promise<boolean> {
  const files = await readAll(userDir, parseProfileText, []);
  const found = files.filter((f) => f.value.id === id);
  for (const f of found) {
    await rm(f.file);
  }
  return found.length > 0;
}

export async function readSelection(userDir: string): Promise<VariantSelection> {
  let text: string;
  try {
    text = await readFile(join(userDir, SELECTION_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {};
    }
    throw error;
  }
  const json = parseJson(text, join(userDir, SELECTION_FILE));
  const out: VariantSelection = {};
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    for (const type of MODULE_TYPES) {
      const value = (json as Record<string, unknown>)[type];
      if (typeof value === 'string') {
        out[type] = value;
      }
    }
  }
  return out;
}

export async function writeSelection(userDir: string, selection: VariantSelection): Promise<void> {
  await mkdir(userDir, { recursive: true });
  await writeAtomically(join(userDir, SELECTION_FILE), `${JSON.stringify(selection, null, 2)}\n`);
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Reads every *.json of a folder (sorted, so the result never depends on the file system's order). `onError`
 * 'shipped' throws; an array collects the refusals. A missing folder is an empty one.
 */
async function readAll<T>(
  dir: string,
  parse: (text: string, file: string) => T,
  onError: 'shipped' | ProfileProblem[],
): Promise<Loaded<T>[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.json') && e.name !== SELECTION_FILE)
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  const out: Loaded<T>[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      out.push({ file, value: parse(await readFile(file, 'utf8'), file) });
    } catch (error) {
      if (onError === 'shipped') {
        throw error;
      }
      onError.push({ file, message: messageOf(error) });
    }
  }
  return out;
}

function indexBlocks(
  loaded: readonly Loaded<RegisterBlock>[],
  origin: 'shipped' | 'user',
  problems: ProfileProblem[],
): Map<string, RegisterBlock> {
  const map = new Map<string, RegisterBlock>();
  for (const { file, value } of loaded) {
    if (map.has(value.block)) {
      const message = `${file}: block: block id ${value.block} is used by two ${origin} files`;
      if (origin === 'shipped') {
        throw new AppError('VALIDATION', message, { details: { file } });
      }
      problems.push({ file, message });
      continue;
    }
    map.set(value.block, value);
  }
  return map;
}

function versionNotices(user: Rs485Profile, shipped: Rs485Profile): string[] {
  if (user.basedOnVersion === undefined) {
    return [
      `${user.file} overrides the shipped map ${shipped.id} (version ${shipped.version}) without saying which version it was edited from`,
    ];
  }
  if (user.basedOnVersion < shipped.version) {
    return [
      `${user.file} was edited from version ${user.basedOnVersion} of ${shipped.id}; the shipped map is now version ${shipped.version}: compare them`,
    ];
  }
  return [];
}

function defaultNotices(profiles: readonly Rs485Profile[]): string[] {
  return MODULE_TYPES.flatMap((type) => {
    const defaults = profiles.filter((p) => p.moduleType === type && p.default === true);
    return defaults.length > 1
      ? [
          `${defaults.length} ${type} maps say they are the default (${defaults.map((p) => p.id).join(', ')}); ${defaults[0]?.id ?? ''} is used`,
        ]
      : [];
  });
}

function refuseShippedTarget(dirs: Required<ProfileDirs>): void {
  const rel = relative(resolve(dirs.shippedDir), resolve(dirs.userDir));
  if (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-z]:/i.test(rel))) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${dirs.userDir} is inside the shipped maps (${dirs.shippedDir}); user edits go elsewhere`,
      {
        details: { userDir: dirs.userDir, shippedDir: dirs.shippedDir },
      },
    );
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, file);
}

/** A register address as the maps write it: 0x0030. */
export const hex = hex4;
