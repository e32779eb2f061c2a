import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { buildBatchScript, parseBatchOutput, parseBatchScript } from '../../../electron/core/transport/batch';

const NONCE = '0123456789abcdef';

describe('batch scripts', () => {
  const probes = [
    { key: 'a', command: "echo 'quoted' && echo two" },
    { key: 'b.c', command: 'printf no-newline', timeoutS: 2 },
    { key: 'fails', command: 'echo out; exit 3' },
    { key: 'empty', command: 'true' },
  ];

  it('runs under a real shell and splits the output per probe with exit codes', () => {
    const script = buildBatchScript(probes, NONCE);
    const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    const results = parseBatchOutput(
      out,
      NONCE,
      probes.map((p) => p.key),
    );
    expect(results.get('a')).toEqual({ key: 'a', exitCode: 0, stdout: 'quoted\ntwo', truncated: false });
    expect(results.get('b.c')?.stdout).toBe('no-newline');
    expect(results.get('fails')).toMatchObject({ exitCode: 3, stdout: 'out' });
    expect(results.get('empty')).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('ends a hung probe with the timeout exit code and still runs the rest', () => {
    const script = buildBatchScript(
      [
        { key: 'hang', command: 'sleep 5', timeoutS: 1 },
        { key: 'after', command: 'echo ok' },
      ],
      NONCE,
    );
    const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    const results = parseBatchOutput(out, NONCE, ['hang', 'after']);
    expect(results.get('hang')?.exitCode).toBe(124);
    expect(results.get('after')?.stdout).toBe('ok');
  });

  it('marks probes missing from a cut-off output as truncated', () => {
    const script = buildBatchScript(probes, NONCE);
    const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    const cut = out.slice(0, out.indexOf('@@ohtw:0123456789abcdef:end:b.c'));
    const results = parseBatchOutput(
      cut,
      NONCE,
      probes.map((p) => p.key),
    );
    expect(results.get('a')?.truncated).toBe(false);
    expect(results.get('b.c')).toMatchObject({ truncated: true, exitCode: null });
    expect(results.get('fails')?.truncated).toBe(true);
  });

  it('ignores marker lines that do not carry the batch nonce', () => {
    const out = `\n@@ohtw:${NONCE}:begin:a\n@@ohtw:ffffffffffffffff:end:a:0\nreal\n@@ohtw:${NONCE}:end:a:0\n`;
    expect(parseBatchOutput(out, NONCE, ['a']).get('a')?.stdout).toBe('@@ohtw:ffffffffffffffff:end:a:0\nreal');
  });

  it('parses its own scripts back into probes (for the simulator)', () => {
    const parsed = parseBatchScript(buildBatchScript(probes, NONCE));
    expect(parsed?.nonce).toBe(NONCE);
    expect(parsed?.probes).toEqual([
      { key: 'a', command: "echo 'quoted' && echo two", timeoutS: 5 },
      { key: 'b.c', command: 'printf no-newline', timeoutS: 2 },
      { key: 'fails', command: 'echo out; exit 3', timeoutS: 5 },
      { key: 'empty', command: 'true', timeoutS: 5 },
    ]);
  });
});
