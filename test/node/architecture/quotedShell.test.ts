import { join } from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/**
 * Lint refuses shell text built from a pasted value anywhere in electron/core. The probes are not files of the
 * project, so they are linted without type information: only what the syntax shows counts for them.
 */
describe('the quoted-shell lint rule', () => {
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
  const findings = async (code: string, file = 'electron/core/diagnostics/probe.ts') => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'ohtw/quoted-shell').map((m) => m.line);
  };

  it.each([
    ['a service name pasted into systemctl', 'export const c = (name: string) => `systemctl show -- ${name}`;'],
    ['a joined list', 'export const c = (names: string[]) => `systemctl show -- ${names.join(" ")}`;'],
    ['a path in an sh -c script', 'export const c = (p: string) => `test -e ${p} && echo yes`;'],
    ['a + chain', "export const c = (p: string) => 'cat ' + p;"],
    ['a conditional with one raw branch', 'export const c = (p: string, q: boolean) => `df -P ${q ? p : "/"}`;'],
  ])('refuses %s', async (_what, code) => {
    expect(await findings(code)).toEqual([1]);
  });

  it.each([
    [
      'the sh tag',
      "import { sh } from '../transport/shell';\nexport const c = (n: string) => sh`systemctl show -- ${n}`;",
    ],
    [
      'shellQuote',
      "import { shellQuote } from '../transport/shell';\nexport const c = (p: string) => `cat ${shellQuote(p)}`;",
    ],
    ['a literal', 'export const c = `head -n ${20} /proc/meminfo`;'],
    ['a message naming a program', 'export const c = (code: number) => `curl failed (exit ${code})`;'],
    ['an error text', 'export const c = (n: string) => new Error(`systemctl stop ${n} was refused`);'],
  ])('accepts %s', async (_what, code) => {
    expect(await findings(code)).toEqual([]);
  });

  it('applies to the core, not to the renderer nor to the simulator (the vehicle side)', async () => {
    const code = 'export const c = (name: string) => `systemctl show -- ${name}`;';
    expect(await findings(code, 'electron/core/procedures/probe.ts')).toEqual([1]);
    expect(await findings(code, 'renderer/features/probe.ts')).toEqual([]);
    expect(await findings(code, 'electron/sim/probe.ts')).toEqual([]);
  });
});
