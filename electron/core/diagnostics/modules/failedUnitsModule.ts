import { judgedLevel, type CheckResult } from '../../../../shared/domain/health';
import type { SaidValue } from '../../../../shared/domain/said';
import { said, say } from '../../../../shared/domain/words';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import type { ProbeOutput } from '../../transport/batch';
import { evidenceOf, unusable, type CheckModule, type SweepContext } from '../checkModule';
import { NEWER_FIRMWARE_SERVICE, RUNBOOK_FIRMWARE_SERVICE } from '../profileDetection';
import { sh } from '../../transport/shell';
import { RUNBOOK } from '../runbook';
import { parseSystemctlShow, type UnitProperties } from '../systemdShow';

/**
 * services.failed: every systemd unit in the failed state (the runbook's `systemctl status --failed`), and the
 * runbook's service dependencies, PostgreSQL and Redis, as children when the vehicle has them.
 */

const ID = 'services.failed';
const LIST = 'failedUnits.list';
const DEPENDENCIES = 'failedUnits.dependencies';

export const LIST_COMMAND = 'systemctl list-units --state=failed --no-legend --plain --no-pager';

/** Debian names Redis `redis-server.service` with the alias `redis.service`; other images use `redis.service`. */
const DEPENDENCY_UNITS = [
  { child: 'postgresql', label: 'PostgreSQL', units: ['postgresql.service'], runbook: RUNBOOK.database },
  {
    child: 'redis',
    label: 'Redis',
    units: ['redis-server.service', 'redis.service'],
    runbook: RUNBOOK.serviceWontStart,
  },
] as const;
const DEPENDENCY_PROPERTIES = ['Id', 'LoadState', 'ActiveState', 'SubState', 'Result', 'UnitFileState'];
export const DEPENDENCIES_COMMAND = sh`systemctl show --property=${DEPENDENCY_PROPERTIES.join(',')} -- ${DEPENDENCY_UNITS.flatMap(
  (d) => d.units,
)}`;

export type ListedUnit = { unit: string; load: string; active: string; sub: string; description: string };

const UNIT_NAME = /^[A-Za-z0-9@._:\\-]+\.(service|socket|target|timer|mount|automount|path|slice|scope|device|swap)$/;

/**
 * Rows of `systemctl list-units --no-legend --plain`: UNIT LOAD ACTIVE SUB DESCRIPTION, padded with blanks. Older
 * systemd ignores --plain and puts a "●" before units in a bad state. Null when a line is not such a row.
 */
export function parseListUnits(text: string): ListedUnit[] | null {
  const units: ListedUnit[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^\s*[●*]\s*/, '');
    if (line.trim() === '' || /^\d+ loaded units listed\.?$/.test(line.trim())) {
      continue;
    }
    const [unit, load, active, sub, ...description] = line.trim().split(/\s+/);
    if (
      unit === undefined ||
      !UNIT_NAME.test(unit) ||
      load === undefined ||
      active === undefined ||
      sub === undefined
    ) {
      return null;
    }
    units.push({ unit, load, active, sub, description: description.join(' ') });
  }
  return units;
}

/** The vehicle's own services by every name they may have, so that a failed one is called out as such. */
function ohtUnits(profile: VehicleProfile): Set<string> {
  const names = [profile.backendService, profile.firmwareService, RUNBOOK_FIRMWARE_SERVICE, NEWER_FIRMWARE_SERVICE];
  return new Set(names.map((n) => (n.includes('.') ? n : `${n}.service`)));
}

function dependencyChildren(output: ProbeOutput | undefined): CheckResult[] {
  const evidence = evidenceOf({ key: DEPENDENCIES, command: DEPENDENCIES_COMMAND }, output);
  const problem = unusable(output);
  const blocks = problem === null && output ? parseSystemctlShow(output.stdout) : [];
  const names = DEPENDENCY_UNITS.flatMap((d) => d.units);
  if (problem !== null || blocks.length !== names.length || blocks.some((b) => b.LoadState === undefined)) {
    return [
      {
        id: `${ID}.dependencies`,
        level: 'STALE',
        ...said('failed.dependenciesStale', { reason: problem ?? say('probe.didNotParse') }),
        evidence,
      },
    ];
  }
  const byName = new Map<string, UnitProperties>(names.map((name, i) => [name, blocks[i] ?? {}]));
  return DEPENDENCY_UNITS.flatMap((dependency) => {
    const props = dependency.units.map((u) => byName.get(u)).find((p) => p !== undefined && p.LoadState === 'loaded');
    if (!props) {
      return []; // Not installed: the backend of this image does not use it.
    }
    return [judgeDependency(`${ID}.${dependency.child}`, dependency.label, props, evidence, dependency.runbook)];
  });
}

function judgeDependency(
  id: string,
  label: string,
  props: UnitProperties,
  evidence: string,
  runbook: string,
): CheckResult {
  const unit = props.Id ?? label;
  const state = `${props.ActiveState ?? '?'} (${props.SubState ?? '?'})`;
  switch (props.ActiveState) {
    case 'active':
      return { id, level: 'OK', ...said('failed.dependencyState', { label, unit, state }), evidence };
    case 'failed':
      return {
        id,
        level: 'ERROR',
        ...said('failed.dependencyFailed', { label, unit, result: props.Result ?? say('service.unknownResult') }),
        evidence,
        runbook,
      };
    case 'activating':
    case 'deactivating':
    case 'reloading':
      return { id, level: 'WARN', ...said('failed.dependencyState', { label, unit, state }), evidence, runbook };
    default:
      return {
        id,
        level: 'WARN',
        ...said('failed.dependencyNotRunning', { label, unit, state, enabled: props.UnitFileState ?? '?' }),
        evidence,
        runbook: RUNBOOK.serviceWontStart,
      };
  }
}

function describe(units: readonly ListedUnit[]): SaidValue {
  return {
    list: units.map((u) =>
      u.description === '' ? u.unit : say('failed.unit', { unit: u.unit, description: { raw: u.description } }),
    ),
  };
}

function judge(context: SweepContext, outputs: ReadonlyMap<string, ProbeOutput>): CheckResult[] {
  const output = outputs.get(LIST);
  const evidence = evidenceOf({ key: LIST, command: LIST_COMMAND }, output);
  const children = dependencyChildren(outputs.get(DEPENDENCIES));
  const problem = unusable(output);
  const listed = problem === null && output && output.exitCode === 0 ? parseListUnits(output.stdout) : null;
  if (!listed) {
    const reason =
      problem ??
      (output?.exitCode !== 0
        ? say('probe.commandFailed', { tool: 'systemctl', exit: output?.exitCode ?? '?' })
        : null);
    return [
      {
        id: ID,
        level: 'STALE',
        ...said('failed.stale', { reason: reason ?? say('probe.didNotParse') }),
        evidence,
        children: orNone(children),
      },
    ];
  }
  const failed = listed.filter((u) => u.active === 'failed');
  const ours = ohtUnits(context.profile);
  const dependencyUnits = new Set<string>(DEPENDENCY_UNITS.flatMap((d) => d.units));
  const serious = failed.filter(
    (u) => ours.has(u.unit) || dependencyUnits.has(u.unit) || u.unit.startsWith('postgresql'),
  );
  const childLevel = judgedLevel(children.map((c) => c.level));
  if (failed.length === 0) {
    const worst = children.find((c) => c.level === childLevel && c.level !== 'OK');
    return [
      {
        id: ID,
        level: childLevel,
        ...(worst ? said('failed.noneBut', { worst: worst.say ?? { raw: worst.message } }) : said('failed.none')),
        evidence,
        runbook: worst?.runbook,
        children: orNone(children),
      },
    ];
  }
  const own = serious.length > 0 ? 'ERROR' : 'WARN';
  return [
    {
      id: ID,
      level: judgedLevel([own, childLevel]),
      ...said('failed.some', { count: failed.length, units: describe(failed) }),
      evidence,
      // Whether only the vehicle's own services failed: then their own checks explain this one (see relations.ts).
      metrics: { isOnlyOwnFailed: failed.every((u) => ours.has(u.unit)) ? 1 : 0 },
      runbook: RUNBOOK.serviceWontStart,
      children: orNone(children),
    },
  ];
}

const orNone = (children: CheckResult[]): CheckResult[] | undefined => (children.length > 0 ? children : undefined);

export const failedUnitsModule: CheckModule = {
  name: 'failedUnits',
  checkIds: [ID],
  probes: () => [
    { key: LIST, command: LIST_COMMAND, timeoutS: 4 },
    { key: DEPENDENCIES, command: DEPENDENCIES_COMMAND, timeoutS: 4 },
  ],
  judge,
};
