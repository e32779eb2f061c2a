import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseProcedure, UNQUOTED_PARAMETER } from '../../../../shared/domain/procedure';
import { loadProcedureCatalog } from '../../../../electron/core/procedures/library/ProcedureLibrary';

const T = (en: string) => ({ en, vi: `${en} (tiếng Việt)` });

/** A small valid procedure that each case below breaks in one place. */
function good(id = 'test.good'): Record<string, unknown> {
  return {
    id,
    version: 1,
    category: 'troubleshooting',
    title: T('A test procedure'),
    summary: T('Restarts the backend'),
    runbook: "Troubleshooting › 1. Service Won't Start",
    handlesChecks: ['services.backend'],
    parameters: [{ name: 'ip', label: T('Address'), type: 'ipv4', required: false }],
    steps: [
      { id: 'look', kind: 'check', title: T('Look'), checkId: 'services.backend', expect: 'OK', onFail: 'restart' },
      {
        id: 'journal',
        kind: 'action',
        title: T('Journal'),
        mutating: false,
        command: { program: 'journalctl', args: ['-u', { profile: 'backendService' }, '-n', '50'], sudo: true },
      },
      {
        id: 'ask',
        kind: 'decision',
        title: T('Ask'),
        question: T('Restart?'),
        options: [
          { id: 'yes', label: T('Yes'), next: 'restart' },
          { id: 'no', label: T('No'), next: 'end' },
        ],
      },
      {
        id: 'restart',
        kind: 'action',
        title: T('Restart'),
        mutating: true,
        gates: ['vehicle.stopped'],
        operation: 'service.restart',
        params: { service: 'backend' },
      },
      {
        id: 'block',
        kind: 'action',
        title: T('Block'),
        mutating: true,
        destructive: true,
        gates: [{ gate: 'unit.reachable', overridable: false }],
        command: { program: 'iptables', args: ['-A', 'INPUT', '-s', { param: 'ip' }, '-j', 'DROP'], sudo: true },
      },
    ],
  };
}

type Mutable = Record<string, unknown> & { steps: Record<string, unknown>[] };
const broken = (change: (p: Mutable) => void): Mutable => {
  const p = structuredClone(good()) as Mutable;
  change(p);
  return p;
};

function problemsOf(input: unknown): { path: string; message: string }[] {
  const result = parseProcedure(input);
  return result.ok ? [] : result.problems;
}

describe('a procedure file is validated at load', () => {
  it('a correct file passes, with its defaults filled in', () => {
    const result = parseProcedure(good());
    expect(result.ok).toBe(true);
    if (result.ok) {
      const block = result.procedure.steps[4];
      expect(block).toMatchObject({ kind: 'action', destructive: true });
      const look = result.procedure.steps[0];
      expect(look).toMatchObject({ checkId: 'services.backend', expect: 'OK' });
    }
  });

  it('refuses an unknown step kind, at the step, naming the kinds it knows', () => {
    const problems = problemsOf(broken((p) => (p.steps[1]!['kind'] = 'teleport')));
    expect(problems).toEqual([
      {
        path: '$.steps[1].kind',
        message: 'unknown step kind "teleport" (known: info, check, action, manual, decision, checklist, escalate)',
      },
    ]);
  });

  it('refuses a missing translation, at the text', () => {
    const problems = problemsOf(broken((p) => (p.steps[2]!['question'] = { en: 'Restart?' })));
    expect(problems).toEqual([{ path: '$.steps[2].question.vi', message: 'missing Vietnamese translation (vi)' }]);
    const title = problemsOf(broken((p) => (p['title'] = { vi: 'Chỉ có tiếng Việt' })));
    expect(title).toEqual([{ path: '$.title.en', message: 'missing English text (en)' }]);
  });

  it('refuses a command with an unquoted parameter, at the argument', () => {
    for (const shellText of ['${ip}', '$(cat /etc/passwd)', '`id`', 'host-${name}-x']) {
      const problems = problemsOf(
        broken((p) => {
          const command = p.steps[4]!['command'] as { args: unknown[] };
          command.args[3] = shellText;
        }),
      );
      expect(problems, shellText).toEqual([{ path: '$.steps[4].command.args[3]', message: UNQUOTED_PARAMETER }]);
    }
    expect(UNQUOTED_PARAMETER).toContain('a command with an unquoted parameter');
    const program = problemsOf(broken((p) => ((p.steps[1]!['command'] as { program: string }).program = 'sh -c')));
    expect(program[0]?.path).toBe('$.steps[1].command.program');
  });

  it('refuses a parameter reference that is not declared', () => {
    const problems = problemsOf(
      broken((p) => ((p.steps[4]!['command'] as { args: unknown[] }).args[3] = { param: 'target' })),
    );
    expect(problems).toEqual([
      { path: '$.steps[4].command.args[3]', message: 'parameter "target" is not declared in parameters' },
    ]);
  });

  it('refuses a dangling next, wherever it is', () => {
    const option = problemsOf(broken((p) => ((p.steps[2]!['options'] as { next: string }[])[0]!.next = 'nowhere')));
    expect(option).toEqual([
      { path: '$.steps[2].options[0].next', message: 'dangling next: no step "nowhere" in this procedure' },
    ]);
    const onFail = problemsOf(broken((p) => (p.steps[0]!['onFail'] = 'missing')));
    expect(onFail).toEqual([
      { path: '$.steps[0].onFail', message: 'dangling next: no step "missing" in this procedure' },
    ]);
  });

  it('refuses duplicate step ids', () => {
    const problems = problemsOf(broken((p) => (p.steps[3]!['id'] = 'look')));
    expect(problems).toContainEqual({ path: '$.steps[3].id', message: 'duplicate step id "look" (also steps[0])' });
  });

  it('refuses a mutating step without gates, and an operation without the gate it needs', () => {
    const none = problemsOf(broken((p) => (p.steps[4]!['gates'] = [])));
    expect(none).toEqual([
      {
        path: '$.steps[4].gates',
        message: 'a mutating step without gates: declare the live preconditions it needs (e.g. "vehicle.stopped")',
      },
    ]);
    const wrongGate = problemsOf(broken((p) => (p.steps[3]!['gates'] = ['unit.reachable'])));
    expect(wrongGate).toEqual([
      { path: '$.steps[3].gates', message: 'service.restart needs the gate "vehicle.stopped"' },
    ]);
    const notMutating = problemsOf(broken((p) => (p.steps[3]!['mutating'] = false)));
    expect(notMutating).toEqual([
      { path: '$.steps[3].mutating', message: 'service.restart changes the vehicle: mutating must be true' },
    ]);
  });

  it('treats systemctl restart as the service operation it is', () => {
    const problems = problemsOf(
      broken((p) => {
        p.steps[1]!['command'] = { program: 'systemctl', args: ['restart', { profile: 'backendService' }] };
      }),
    );
    expect(problems).toEqual([
      {
        path: '$.steps[1].mutating',
        message:
          'the workstation judges this command as changing the vehicle (systemctl restart changes the system): mutating must be true, with its gates',
      },
      { path: '$.steps[1].gates', message: 'starting or stopping a service needs the gate "vehicle.stopped"' },
    ]);
  });

  it('requires an E-Stop reset to wait for the released pin and a restore to be destructive', () => {
    const reset = problemsOf(
      broken((p) => {
        p.steps[3] = { ...p.steps[3], operation: 'estop.reset', params: {} };
      }),
    );
    expect(reset).toEqual([{ path: '$.steps[3].gates', message: 'estop.reset needs the gate "estop.released"' }]);
    const restore = problemsOf(
      broken((p) => {
        p.steps[3] = {
          ...p.steps[3],
          operation: 'restore.unit',
          params: { scope: 'data' },
          gates: ['vehicle.stopped', 'backend.stopped', 'firmware.stopped'],
        };
      }),
    );
    expect(restore).toEqual([
      {
        path: '$.steps[3].destructive',
        message: "restore.unit cannot be undone: destructive must be true (the technician types the unit's name)",
      },
    ]);
  });

  it('refuses unknown fields, so that a typo is not silently ignored', () => {
    const problems = problemsOf(broken((p) => (p.steps[0]!['expects'] = 'OK')));
    expect(problems[0]?.path).toBe('$.steps[0]');
    expect(problems[0]?.message).toMatch(/expects/);
  });
});

describe('loading a folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-procedures-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses each bad file with its name, place and reason, and still loads the others', async () => {
    await writeFile(join(dir, 'good.json'), JSON.stringify(good('test.good')));
    await writeFile(
      join(dir, 'unknown-kind.json'),
      JSON.stringify(broken((p) => ((p['id'] = 'test.kind'), (p.steps[0]!['kind'] = 'wait')))),
    );
    await writeFile(join(dir, 'not-json.json'), '{ "id": "test.broken", ');
    await writeFile(join(dir, 'README.md'), '# not a procedure');
    const catalog = await loadProcedureCatalog({ shippedDir: dir });
    expect([...catalog.byId.keys()]).toEqual(['test.good']);
    expect(catalog.invalid).toHaveLength(2);
    expect(catalog.invalid).toContainEqual({
      file: 'unknown-kind.json',
      source: 'shipped',
      problems: [
        {
          path: '$.steps[0].kind',
          message: 'unknown step kind "wait" (known: info, check, action, manual, decision, checklist, escalate)',
        },
      ],
    });
    const notJson = catalog.invalid.find((f) => f.file === 'not-json.json');
    expect(notJson?.problems[0]).toMatchObject({ path: '$', message: expect.stringMatching(/^not valid JSON/) });
  });

  it('refuses a second file claiming a version that is already taken', async () => {
    const user = join(dir, 'user');
    await writeFile(join(dir, 'good.json'), JSON.stringify(good('test.good')));
    await mkdir(user);
    await writeFile(join(user, 'copy.json'), JSON.stringify(good('test.good')));
    const catalog = await loadProcedureCatalog({ shippedDir: dir, userDir: user });
    expect(catalog.invalid).toEqual([
      {
        file: 'copy.json',
        source: 'user',
        problems: [
          {
            path: '$.version',
            message: 'test.good version 1 is already in the shipped good.json; an edit is saved as a new version',
          },
        ],
      },
    ]);
    expect(catalog.byId.get('test.good')?.get(1)?.source).toBe('shipped');
  });
});
