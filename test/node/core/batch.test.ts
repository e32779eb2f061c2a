import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { buildBatchScript, parseBatchOutput } from '../../../electron/core/transport/batch';
import { buildParallelBatchScript, parseBatchScript } from '../../../electron/core/transport/parallelBatch';

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

describe('parallel batch scripts', () => {
  const probes = [
    { key: 'a', command: "echo 'quoted' && echo two" },
    { key: 'b.c', command: 'printf no-newline', timeoutS: 2 },
    { key: 'fails', command: 'echo out; exit 3' },
    { key: 'empty', command: 'true' },
  ];

  it('gives the same per-probe answers as the serial script under a real shell', () => {
    const keys = probes.map((p) => p.key);
    const serial = parseBatchOutput(
      execFileSync('sh', ['-c', buildBatchScript(probes, NONCE)], { encoding: 'utf8' }),
      NONCE,
      keys,
    );
    const parallel = parseBatchOutput(
      execFileSync('sh', ['-c', buildParallelBatchScript(probes, NONCE)], { encoding: 'utf8' }),
      NONCE,
      keys,
    );
    expect(parallel).toEqual(serial);
  });

  it('runs the probes at the same time, each under its own time limit', () => {
    // Each of the three waits until all three have started, which it can only see if they run at once.
    const dir = mkdtempSync(join(tmpdir(), 'ohtw-parallel-'));
    try {
      const meet = (name: string): string =>
        `touch ${dir}/${name}; i=0; while [ $i -lt 100 ]; do [ -e ${dir}/x ] && [ -e ${dir}/y ] && [ -e ${dir}/z ] && echo met && exit 0; sleep 0.05; i=$((i+1)); done; echo alone`;
      const script = buildParallelBatchScript(
        [
          { key: 'x', command: meet('x') },
          { key: 'hang', command: 'sleep 30', timeoutS: 1 },
          { key: 'y', command: meet('y') },
          { key: 'z', command: meet('z') },
        ],
        NONCE,
      );
      const results = parseBatchOutput(execFileSync('sh', ['-c', script], { encoding: 'utf8' }), NONCE, [
        'x',
        'hang',
        'y',
        'z',
      ]);
      expect(['x', 'y', 'z'].map((key) => results.get(key)?.stdout)).toEqual(['met', 'met', 'met']);
      expect(results.get('hang')).toMatchObject({ exitCode: 124, truncated: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts the probes that measure the vehicle only once the others are done', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ohtw-parallel-'));
    try {
      const script = buildParallelBatchScript(
        [
          { key: 'measure', command: `[ -e ${dir}/busy-done ] && echo after || echo during`, needsQuiet: true },
          { key: 'busy', command: `sleep 0.3; touch ${dir}/busy-done` },
        ],
        NONCE,
      );
      const results = parseBatchOutput(execFileSync('sh', ['-c', script], { encoding: 'utf8' }), NONCE, [
        'measure',
        'busy',
      ]);
      expect(results.get('measure')?.stdout).toBe('after');
      expect(results.get('busy')?.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves no answer file behind, and keeps them private while they exist', () => {
    const nonce = 'fedcba9876543210';
    const script = buildParallelBatchScript([{ key: 'mode', command: `stat -c %a /dev/shm/ohtw.${nonce}.0` }], nonce);
    const results = parseBatchOutput(execFileSync('sh', ['-c', script], { encoding: 'utf8' }), nonce, ['mode']);
    expect(results.get('mode')?.stdout).toBe('600');
    expect(readdirSync('/dev/shm').filter((name) => name.includes(nonce))).toEqual([]);
  });

  it('parses its own scripts back into probes (for test doubles of a vehicle)', () => {
    const parsed = parseBatchScript(buildParallelBatchScript(probes, NONCE));
    expect(parsed?.nonce).toBe(NONCE);
    expect(parsed?.probes.map((p) => p.key)).toEqual(probes.map((p) => p.key));
    expect(parsed?.probes[1]).toEqual({ key: 'b.c', command: 'printf no-newline', timeoutS: 2 });
  });
});
