import {
  describeIssues,
  ProfileFileSchema,
  RegisterBlockSchema,
  type ProfileFile,
  type RegisterBlock,
  type RegisterDef,
  type Rs485Profile,
} from '../../../shared/domain/rs485Profile';
import { hex4 as hex } from '../../../shared/domain/rs485Text';
import { AppError } from '../../../shared/errors/AppError';

/**
 * One register-map file read: parsed by its schema, its blocks merged in, and checked for what the schema alone
 * cannot see (two registers at one address or with one name). A bad file is a VALIDATION error naming the file, the
 * place in it and the reason.
 */

/** Parses one profile file; a bad one is a VALIDATION error naming the file, the place in it and the reason. */
export function parseProfileText(text: string, file: string): ProfileFile {
  const result = ProfileFileSchema.safeParse(parseJson(text, file));
  if (!result.success) {
    throw invalid(file, describeIssues(result.error.issues));
  }
  return result.data;
}

export function parseBlockText(text: string, file: string): RegisterBlock {
  const result = RegisterBlockSchema.safeParse(parseJson(text, file));
  if (!result.success) {
    throw invalid(file, describeIssues(result.error.issues));
  }
  return result.data;
}

/** Merges a profile's blocks into its register list and checks what the schema alone cannot. */
export function resolveProfile(
  file: ProfileFile,
  fileName: string,
  origin: Rs485Profile['origin'],
  blocks: ReadonlyMap<string, RegisterBlock>,
): Rs485Profile {
  const problems: string[] = [];
  const merged: { def: RegisterDef; place: string }[] = [];
  (file.includes ?? []).forEach((include, i) => {
    const block = blocks.get(include.block);
    if (!block) {
      problems.push(`includes[${i}].block: there is no register block "${include.block}"`);
      return;
    }
    const omit = new Set(include.omit ?? []);
    for (const address of omit) {
      if (!block.registers.some((r) => r.address === address)) {
        problems.push(`includes[${i}].omit: block ${block.block} has no register at ${hex(address)}`);
      }
    }
    for (const def of block.registers) {
      if (!omit.has(def.address)) {
        merged.push({ def, place: `block ${block.block}` });
      }
    }
  });
  file.registers.forEach((def, i) => merged.push({ def, place: `registers[${i}]` }));

  const byAddress = new Map<number, string>();
  const byName = new Map<string, string>();
  for (const { def, place } of merged) {
    const sameAddress = byAddress.get(def.address);
    if (sameAddress) {
      problems.push(`${place}: address ${hex(def.address)} is also ${sameAddress}${hint(place)}`);
    } else {
      byAddress.set(def.address, `${def.name} (${place})`);
    }
    const sameName = byName.get(def.name);
    if (sameName) {
      problems.push(`${place}: name ${def.name} is also used at ${sameName}`);
    } else {
      byName.set(def.name, `${hex(def.address)} (${place})`);
    }
  }
  for (const { def, place } of merged) {
    if (def.afterWrite && !byName.has(def.afterWrite.read)) {
      problems.push(`${place}.afterWrite.read: there is no register named ${def.afterWrite.read}`);
    }
  }
  if (problems.length > 0) {
    throw invalid(fileName, problems);
  }
  const { includes: _includes, registers: _registers, ...rest } = file;
  return {
    ...rest,
    registers: merged.map((m) => m.def).sort((a, b) => a.address - b.address),
    origin,
    file: fileName,
  };
}

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalid(file, [`(file): not JSON: ${messageOf(error)}`]);
  }
}

export function invalid(file: string, issues: string[]): AppError {
  return new AppError('VALIDATION', `${file}: ${issues.join('; ')}`, { details: { file, issues } });
}

function hint(place: string): string {
  return place.startsWith('registers') ? ' (omit it from the block in "includes" if this map uses it otherwise)' : '';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
