import { setTimeout as sleep } from 'node:timers/promises';

import type { BackupSummaryView, BackupUnitResult, BackupVerify, SkippedPathView } from '../../../shared/domain/backup';
import type { RestoreChange, RestorePhase, RestorePhaseRecord, RestorePlan } from '../../../shared/domain/restore';
import { AppError, serializeError } from '../../../shared/errors/AppError';
import {
  calls,
  events,
  isCallName,
  type CallName,
  type CallOutput,
  type CallParsedInput,
  type EventName,
  type EventPayload,
} from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { parseUnknown } from '../../../shared/ipc/validate';
import type { FakeEventListener, FakeWorkstation } from './fakeWorkstation';

type BackupCall = Extract<CallName, `backup.${string}` | `restore.${string}`>;
type Handler<N extends CallName> = (input: CallParsedInput<N>) => Promise<CallOutput<N>>;

/** One file of a unit as the fake sees it: enough to compute a dry run. */
type FakeFile = { type: 'file' | 'dir' | 'symlink'; content: string; mode: number; owner: string };
type Tree = Map<string, FakeFile>;

const ROOTS = ['/opt/oht50', '/etc/oht50', '/etc/systemd/system', '/boot/orangepiEnv.txt'];
const SERVICES_BY_ROOT: Record<string, string[]> = {
  '/opt/oht50': ['oht50-backend', 'oht50-firmware'],
  '/etc/oht50': ['oht50-firmware'],
  '/etc/systemd/system': ['oht50-backend', 'oht50-firmware'],
};

/** A unit's state as a freshly installed vehicle has it. */
function installedTree(unit: string): Tree {
  const file = (content: string, mode = 0o644, owner = 'oht'): FakeFile => ({ type: 'file', content, mode, owner });
  return new Map<string, FakeFile>([
    ['/opt/oht50', { type: 'dir', content: '', mode: 0o755, owner: 'oht' }],
    ['/opt/oht50/VERSION', file('2.4.1\n')],
    ['/opt/oht50/config/system.yaml', file(`unit: ${unit}\ncenter: 10.0.0.5\n`)],
    ['/opt/oht50/backend/.env', file('SECRET_KEY=fake\n', 0o600)],
    ['/opt/oht50/backend/oht50.db', file('sqlite')],
    ['/opt/oht50/firmware/oht50-fw', file('\x7fELF firmware', 0o755)],
    ['/etc/oht50', { type: 'dir', content: '', mode: 0o755, owner: 'root' }],
    ['/etc/oht50/vehicle.yaml', file('speed_limit: 1.2\n', 0o644, 'root')],
    ['/etc/systemd/system/oht50-backend.service', file('[Service]\nExecStart=/opt/oht50/backend/run\n', 0o644, 'root')],
    [
      '/etc/systemd/system/oht50-firmware.service',
      file('[Service]\nExecStart=/opt/oht50/firmware/oht50-fw\n', 0o644, 'root'),
    ],
    ['/boot/orangepiEnv.txt', file('overlays=uart3\n', 0o644, 'root')],
  ]);
}

function rootOf(path: string): string {
  return ROOTS.find((root) => path === root || path.startsWith(`${root}/`)) ?? '/';
}

type StoredBackup = { summary: BackupSummaryView; tree: Tree };

/**
 * The backup and restore calls as the contract defines them, over in-memory vehicles, in front of the fake
 * workstation: backups with progress events, verify (with damage the test injects), prune, a dry run computed from the
 * unit's current files, and a restore whose phases arrive one by one and that commits or rolls back as the test says.
 * Every call is recorded, so a test can prove that no restore ran before it was confirmed.
 */
export class FakeBackupService {
  readonly calls: { name: string; input: unknown }[] = [];
  /** Units whose next backup fails as an unreachable vehicle would. */
  readonly failing = new Set<string>();
  /** Backups whose verify reports damage. */
  readonly damaged = new Set<string>();
  /** Backups verified as if the store passphrase were not set: the secret files are reported unchecked. */
  readonly locked = new Set<string>();
  /** Units whose backups leave these paths out (a restore would refuse them): the backup is 'partial'. */
  readonly leaveOut = new Map<string, SkippedPathView[]>();
  /** What the next restore's health gate does. */
  healthGate: 'pass' | 'fail' = 'pass';
  stepDelayMs = 150;

  private readonly trees = new Map<string, Tree>();
  private readonly backups: StoredBackup[] = [];
  private readonly runs = new Map<string, string[]>();
  private readonly skippedOf = new Map<string, SkippedPathView[]>();
  private readonly listeners = new Set<FakeEventListener>();
  private sequence = 0;

  constructor(private readonly workstation: FakeWorkstation) {}

  /** The unit's files now; created as installed on first use. */
  tree(unit: string): Tree {
    let tree = this.trees.get(unit);
    if (!tree) {
      tree = installedTree(unit);
      this.trees.set(unit, tree);
    }
    return tree;
  }

  /** What a technician's week does to a unit: a config edited, a file added, one removed, a mode changed. */
  drift(unit: string): void {
    const tree = this.tree(unit);
    tree.set('/opt/oht50/config/system.yaml', {
      type: 'file',
      content: 'unit: x\ncenter: 10.9.9.9\n',
      mode: 0o644,
      owner: 'oht',
    });
    tree.set('/opt/oht50/config/debug.yaml', { type: 'file', content: 'debug: true\n', mode: 0o644, owner: 'oht' });
    tree.delete('/etc/oht50/vehicle.yaml');
    const env = tree.get('/opt/oht50/backend/.env');
    if (env) {
      tree.set('/opt/oht50/backend/.env', { ...env, mode: 0o644 });
    }
  }

  private noReplicas(): never {
    throw new AppError('NOT_FOUND', 'the fake has no backup replicas');
  }

  private readonly handlers: { [N in BackupCall]: Handler<N> } = {
    'backup.run': async ({ names }) => this.backUp(names),
    'backup.retryFailed': async ({ runId }) => {
      const failed = this.runs.get(runId);
      if (!failed) {
        throw new AppError('NOT_FOUND', `no backup run ${runId}`);
      }
      return this.backUp(failed);
    },
    'backup.list': async ({ unit, kind }) =>
      this.backups
        .map((backup) => backup.summary)
        .filter((summary) => (unit === undefined || summary.unit === unit) && (kind === 'all' || summary.kind === kind))
        .sort((a, b) => b.completedAt.localeCompare(a.completedAt)),
    'backup.get': async ({ backupId }) => {
      const { summary, tree } = this.find(backupId);
      const entries = [...tree.entries()].map(([path, file]) => ({
        path,
        type: file.type,
        mode: file.mode,
        uid: 0,
        gid: 0,
        owner: file.owner,
        group: file.owner,
        mtimeMs: 0,
        size: file.content.length,
        sha256: 'f'.repeat(64),
        secret: path.endsWith('.env'),
      }));
      return { ...summary, entries, attachments: {}, skippedPaths: this.skippedOf.get(backupId) ?? [] };
    },
    'backup.verify': async ({ backupId, sample }) => {
      const { tree } = this.find(backupId);
      await sleep(this.stepDelayMs);
      const files = [...tree.values()].filter((file) => file.type === 'file').length;
      if (this.locked.has(backupId)) {
        return {
          backupId,
          ok: false,
          checkedFiles: files - 1,
          problems: [
            {
              path: '/opt/oht50/backend/.env',
              problem: 'passphrase-needed',
              message: 'encrypted: its content can be checked only with the store passphrase',
            },
          ],
          sharedWith: [],
          quarantined: 0,
        };
      }
      const result: BackupVerify = {
        backupId,
        ok: !this.damaged.has(backupId),
        checkedFiles: sample === undefined ? files : Math.min(sample, files),
        problems: this.damaged.has(backupId)
          ? [
              {
                path: '/opt/oht50/firmware/oht50-fw',
                problem: 'chunk-damaged',
                message: 'chunk 3f9a… fails its SHA-256 check',
              },
              {
                path: '/opt/oht50/config/system.yaml',
                problem: 'content-mismatch',
                message: 'content hashes to 91c2…, the manifest says 4be0…',
              },
            ]
          : [],
        sharedWith: [],
        quarantined: this.damaged.has(backupId) ? 1 : 0,
      };
      return result;
    },
    'backup.prune': async ({ keepDaily, dryRun }) => {
      // The fake keeps keepDaily backups per unit, newest first: enough to show a preview and a removal.
      const removed: StoredBackup[] = [];
      const byUnit = new Map<string, StoredBackup[]>();
      for (const backup of this.backups) {
        byUnit.set(backup.summary.unit, [...(byUnit.get(backup.summary.unit) ?? []), backup]);
      }
      for (const list of byUnit.values()) {
        list.sort((a, b) => b.summary.completedAt.localeCompare(a.summary.completedAt));
        removed.push(...list.slice(keepDaily));
      }
      if (!dryRun) {
        removed.forEach((backup) => this.backups.splice(this.backups.indexOf(backup), 1));
      }
      return {
        removedBackups: removed.map((backup) => backup.summary.id),
        keptBackups: this.backups.length - (dryRun ? removed.length : 0),
        removedChunks: removed.length * 3,
        removedPacks: removed.length,
        freedBytes: removed.reduce((sum, backup) => sum + backup.summary.newBytes, 0),
        dryRun,
      };
    },
    'backup.check': async ({ readData }) => ({
      ok: this.damaged.size === 0,
      readData,
      problems: [...this.damaged].map((id) => ({
        kind: 'chunk' as const,
        subject: '3f9a'.padEnd(64, '0'),
        message: 'damaged: content does not match its id',
        backups: [id],
      })),
      notes: [],
      unreferencedPacks: [],
      counts: { backups: this.backups.length, packs: 1, chunks: 4, legacyChunks: 0, quarantined: 0, readBytes: 0 },
    }),
    'restore.toFolder': async ({ backupId, dir }) => {
      const { summary, tree } = this.find(backupId);
      const files = [...tree.values()];
      return {
        backupId,
        unit: summary.unit,
        dir: dir ?? `/home/tech/.config/OHT-50 Workstation/copies/${backupId}`,
        files: files.filter((f) => f.type === 'file').length,
        dirs: files.filter((f) => f.type === 'dir').length,
        links: files.filter((f) => f.type === 'symlink').length,
        bytes: files.reduce((sum, f) => sum + f.content.length, 0),
        owners: false,
        problems: [],
      };
    },
    'backup.stats': async () => {
      const summaries = this.backups.map((backup) => backup.summary);
      return {
        backups: summaries.length,
        units: new Set(summaries.map((summary) => summary.unit)).size,
        chunks: summaries.length * 4,
        storedBytes: summaries.reduce((sum, summary) => sum + summary.storedBytes, 0),
        logicalBytes: summaries.reduce((sum, summary) => sum + summary.bytes, 0),
        uniqueBytes: summaries.reduce((sum, summary) => sum + summary.newBytes, 0),
      };
    },
    'backup.profile': async () => {
      throw new AppError('NOT_FOUND', 'the fake has no backup profile');
    },
    'backup.setProfile': async () => {
      throw new AppError('NOT_FOUND', 'the fake has no backup profile');
    },
    'backup.push': async () => this.noReplicas(),
    'backup.pull': async () => this.noReplicas(),
    'backup.checkAt': async () => this.noReplicas(),
    'backup.where': async ({ selector }) => ({ selector, locations: [] }),
    'backup.replicaSettings': async () => ({ target: null, keyPath: null, hostKeys: {} }),
    'backup.setTarget': async () => this.noReplicas(),
    'backup.trustTarget': async () => this.noReplicas(),
    'restore.plan': async ({ name, backupId, replacement }) => this.plan(name, backupId, replacement),
    'restore.run': async ({ name, backupId, replacement, confirm }) => {
      if (!confirm) {
        throw new AppError('CONFIRMATION_REQUIRED', 'a restore changes the vehicle: confirm it');
      }
      return this.restore(name, backupId, replacement);
    },
  };

  readonly dispatch = async (name: unknown, rawInput: unknown): Promise<Envelope<unknown>> => {
    if (typeof name !== 'string' || !(name.startsWith('backup.') || name.startsWith('restore.'))) {
      return this.workstation.dispatch(name, rawInput);
    }
    this.calls.push({ name, input: rawInput });
    try {
      if (!isCallName(name)) {
        throw new AppError('NOT_FOUND', `Unknown call: ${name}`);
      }
      const input = parseUnknown(calls[name].input, rawInput ?? {}, `input for ${name}`);
      const handler = this.handlers[name as BackupCall] as (input: unknown) => Promise<unknown>;
      return { ok: true, value: calls[name].output.parse(await handler(input)) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  };

  readonly subscribe = (listener: FakeEventListener): (() => void) => {
    this.listeners.add(listener);
    const stop = this.workstation.subscribe(listener);
    return () => {
      this.listeners.delete(listener);
      stop();
    };
  };

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].parse(payload);
    this.listeners.forEach((listener) => listener({ name, payload: checked }));
  }

  private find(backupId: string): StoredBackup {
    const backup = this.backups.find((candidate) => candidate.summary.id === backupId);
    if (!backup) {
      throw new AppError('NOT_FOUND', `no backup ${backupId}`);
    }
    return backup;
  }

  private async backUp(names: string[]): Promise<CallOutput<'backup.run'>> {
    const runId = `run-${++this.sequence}`;
    names.forEach((unit) => this.emit('backup.progress', { runId, unit, phase: 'queued', files: 0, bytes: 0 }));
    const results = await Promise.all(names.map((unit) => this.backUpOne(runId, unit)));
    this.runs.set(
      runId,
      results.filter((result) => result.status === 'failed').map((result) => result.unit),
    );
    return { runId, results };
  }

  private async backUpOne(runId: string, unit: string): Promise<BackupUnitResult> {
    const started = Date.now();
    const progress = (phase: EventPayload<'backup.progress'>['phase'], files: number, bytes: number, extra = {}) =>
      this.emit('backup.progress', { runId, unit, phase, files, bytes, ...extra });
    progress('connecting', 0, 0);
    await sleep(this.stepDelayMs);
    if (this.failing.has(unit)) {
      this.failing.delete(unit);
      const message = `${unit}: connect ECONNREFUSED 10.0.7.21:22`;
      progress('failed', 0, 0, { message });
      // Built apart, then returned: compiles whether or not the contract's result carries reusedFiles yet.
      const failed = {
        unit,
        status: 'failed' as const,
        backupId: null,
        files: 0,
        bytes: 0,
        newBytes: 0,
        storedBytes: 0,
        durationMs: Date.now() - started,
        warnings: [],
        attachments: [],
        reusedFiles: 0,
        skipped: [],
        error: { code: 'CONNECT_FAILED' as const, message },
      };
      return failed;
    }
    const tree = new Map(this.tree(unit));
    const total = [...tree.values()].reduce((sum, file) => sum + file.content.length * 40_000, 0);
    const steps = 6;
    for (let step = 1; step <= steps; step += 1) {
      progress('reading', Math.round((tree.size * step) / steps), Math.round((total * step) / steps), {
        message: `/opt/oht50/firmware (${step}/${steps})`,
      });
      await sleep(this.stepDelayMs);
    }
    progress('committing', tree.size, total);
    await sleep(this.stepDelayMs);
    const isFirst = !this.backups.some((backup) => backup.summary.unit === unit);
    const id = `bk-${unit}-${++this.sequence}`;
    const now = new Date().toISOString();
    const summary: BackupSummaryView = {
      id,
      unit,
      kind: 'backup',
      createdAt: new Date(started).toISOString(),
      completedAt: now,
      profile: { id: 'oht50-default', version: 1 },
      toolVersion: '0.1.0-fake',
      meta: {},
      files: tree.size,
      bytes: total,
      newBytes: isFirst ? total : Math.round(total / 50),
      storedBytes: isFirst ? Math.round(total / 3) : Math.round(total / 150),
      hasSecrets: true,
    };
    const skipped = this.leaveOut.get(unit) ?? [];
    if (skipped.length > 0) {
      summary.skipped = skipped.length;
      this.skippedOf.set(id, skipped);
    }
    this.backups.push({ summary, tree });
    progress('done', tree.size, total, { backupId: id });
    const ok = {
      unit,
      status: skipped.length > 0 ? ('partial' as const) : ('ok' as const),
      backupId: id,
      files: tree.size,
      bytes: total,
      newBytes: summary.newBytes,
      storedBytes: summary.storedBytes,
      durationMs: Date.now() - started,
      warnings: isFirst ? ['/var/log/oht50 is not backed up (logs are off in the profile)'] : [],
      attachments: [],
      reusedFiles: isFirst ? 0 : tree.size - 2,
      skipped,
      error: null,
    };
    return ok;
  }

  private plan(unit: string, backupId: string, replacement: boolean): RestorePlan {
    const { summary, tree: wanted } = this.find(backupId);
    if (summary.unit !== unit) {
      throw new AppError('VALIDATION', `backup ${backupId} is of ${summary.unit}, not ${unit}`);
    }
    const now = this.tree(unit);
    const changes: RestoreChange[] = [];
    let unchanged = 0;
    for (const [path, file] of wanted) {
      const current = now.get(path);
      if (!current) {
        changes.push({ path, action: 'create', type: file.type, differs: [] });
        continue;
      }
      const differs: RestoreChange['differs'] = [];
      if (current.content !== file.content) {
        differs.push('content');
      }
      if (current.mode !== file.mode) {
        differs.push('mode');
      }
      if (current.owner !== file.owner) {
        differs.push('owner');
      }
      if (differs.length > 0) {
        changes.push({ path, action: 'modify', type: file.type, differs });
      } else {
        unchanged += 1;
      }
    }
    for (const [path, file] of now) {
      if (!wanted.has(path)) {
        changes.push({ path, action: 'delete', type: file.type, differs: [] });
      }
    }
    const services = [...new Set(changes.flatMap((change) => SERVICES_BY_ROOT[rootOf(change.path)] ?? []))].sort();
    const count = (action: RestoreChange['action']) => changes.filter((change) => change.action === action).length;
    return {
      unit,
      backupId,
      backupCreatedAt: summary.createdAt,
      roots: ROOTS,
      replacement,
      hostKey: { pinned: 'SHA256:fakepinned', atBackup: 'SHA256:fakepinned' },
      changes,
      services,
      counts: { create: count('create'), modify: count('modify'), delete: count('delete'), unchanged },
      bytesToSend: changes.reduce((sum, change) => sum + (wanted.get(change.path)?.content.length ?? 0), 0),
    };
  }

  private async restore(unit: string, backupId: string, replacement: boolean): Promise<CallOutput<'restore.run'>> {
    const plan = this.plan(unit, backupId, replacement);
    const transactionId = `tx-${++this.sequence}`;
    const started = Date.now();
    const phases: RestorePhaseRecord[] = [];
    const phase = async (
      name: RestorePhase,
      status: 'ok' | 'failed',
      detail: string,
      total?: number,
    ): Promise<void> => {
      const at = Date.now();
      this.emit('restore.progress', { transactionId, unit, phase: name, status: 'started', detail: '' });
      if (total !== undefined) {
        for (let done = 1; done <= total; done += 1) {
          await sleep(this.stepDelayMs / 2);
          this.emit('restore.progress', { transactionId, unit, phase: name, status: 'started', detail, done, total });
        }
      } else {
        await sleep(this.stepDelayMs);
      }
      this.emit('restore.progress', { transactionId, unit, phase: name, status, detail });
      phases.push({ phase: name, status, startedAt: new Date(at).toISOString(), durationMs: Date.now() - at, detail });
    };
    await phase('verify', 'ok', 'every chunk checked');
    await phase('plan', 'ok', `${plan.changes.length} changes`);
    await phase('preconditions', 'ok', 'E-Stop pressed, vehicle idle');
    const snapshotBefore = new Map(this.tree(unit));
    const snapshotId = `snap-${unit}-${++this.sequence}`;
    await phase('snapshot', 'ok', `current state saved as ${snapshotId}`, this.tree(unit).size);
    this.trees.set(unit, new Map(this.find(backupId).tree));
    await phase('apply', 'ok', `${plan.changes.length} files written`, plan.changes.length);
    await phase('restart', 'ok', plan.services.join(', '));
    let reason: string | null = null;
    if (this.healthGate === 'fail') {
      reason = 'oht50-firmware did not become active within 30 s (failed: config error in /etc/oht50/vehicle.yaml)';
      await phase('health', 'failed', reason);
      this.trees.set(unit, snapshotBefore);
      await phase('rollback', 'ok', `unit put back to ${snapshotId}`);
    } else {
      await phase('health', 'ok', 'services active, APIs answer, E-Stop agrees');
      await phase('commit', 'ok', 'recorded');
    }
    this.backups.push({
      summary: {
        ...this.find(backupId).summary,
        id: snapshotId,
        kind: 'snapshot',
        createdAt: new Date(started).toISOString(),
        completedAt: new Date().toISOString(),
      },
      tree: snapshotBefore,
    });
    return {
      transactionId,
      unit,
      backupId,
      snapshotId,
      result: reason === null ? 'committed' : 'rolled-back',
      reason,
      replacement,
      changes: plan.changes,
      services: plan.services,
      phases,
      durationMs: Date.now() - started,
    };
  }
}
