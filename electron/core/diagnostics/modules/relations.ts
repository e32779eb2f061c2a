import type { HealthLevel } from '../../../../shared/domain/health';
import type { WordKey } from '../../../../shared/domain/words';

/**
 * Which checks follow from which, as data: a check that matches `cause` explains every other problem that matches
 * one of `explains`, and what that one explains in turn. The findings (../findings.ts) fold the explained checks
 * under the one that explains them, so that one crashed service reads as one finding, not seven.
 *
 * A match names a check by id; an id also covers its children (`api.firmware` covers `api.firmware.health`), and
 * `*` covers every check. It may ask for levels, readings (metrics), what the check says (its message id) and the
 * values it says it with, so that a relation holds only where the cause really explains the consequence: the
 * E-Stop check that could not read the firmware's state follows from the firmware being down, an E-Stop latched
 * in the firmware does not.
 */
export type CheckMatch = {
  id: string;
  levels?: readonly HealthLevel[];
  metrics?: Readonly<Record<string, number>>;
  says?: readonly WordKey[];
  /** Values of the message's own parameters, as text. */
  params?: Readonly<Record<string, string>>;
  /** Only a check beside the cause, under the same parent (the other checks of the same bus module). */
  sibling?: true;
};

export type CheckRelation = {
  /** Why, for the people who read this file. */
  because: string;
  cause: CheckMatch;
  explains: readonly CheckMatch[];
};

const DOWN = { active: 0 } as const;
const PROBLEMS: readonly HealthLevel[] = ['WARN', 'ERROR', 'STALE'];
/** The E-Stop check's verdicts that only say the firmware's state could not be read. */
const ESTOP_WITHOUT_FIRMWARE: readonly WordKey[] = ['estop.releasedUnknown', 'estop.pinUnknown'];

function serviceDown(role: 'backend' | 'firmware'): CheckRelation {
  return {
    because: `a stopped or failed ${role} service answers no requests, listens on no port and logs its own end`,
    cause: { id: `services.${role}`, metrics: DOWN },
    explains: [
      { id: `api.${role}` },
      { id: `network.ports.${role}` },
      { id: `logs.${role}` },
      // The failed-units list that names only the vehicle's own services says nothing more.
      { id: 'services.failed', metrics: { isOnlyOwnFailed: 1 } },
    ],
  };
}

export const CHECK_RELATIONS: readonly CheckRelation[] = [
  {
    because: 'a unit that cannot be reached cannot be judged at all: the link explains everything behind it',
    cause: { id: 'connection' },
    explains: [{ id: '*' }],
  },
  serviceDown('firmware'),
  serviceDown('backend'),
  {
    because: "a service that crash-loops writes its crashes to its journal and leaves systemd's failed list alone",
    cause: { id: 'services', says: ['service.crashing', 'service.autoRestart', 'service.notInstalled'] },
    explains: [{ id: 'logs' }],
  },
  {
    because: 'everything the vehicle knows of its modules and of its state machine comes through the firmware',
    cause: { id: 'services.firmware', metrics: DOWN },
    explains: [
      { id: 'api.backend.detailed', says: ['api.detailedProblems'] },
      { id: 'rs485.modules' },
      { id: 'rs485.bus' },
      { id: 'safety.estop', says: ESTOP_WITHOUT_FIRMWARE },
    ],
  },
  {
    because: 'a firmware API that does not answer as itself cannot tell its state, its modules or its bus',
    cause: { id: 'api.firmware.health', levels: ['ERROR', 'STALE'] },
    explains: [
      { id: 'api.firmware.state', levels: ['STALE'] },
      { id: 'rs485.modules', levels: ['ERROR', 'STALE'] },
      { id: 'rs485.bus', levels: ['ERROR', 'STALE'] },
      { id: 'safety.estop', says: ESTOP_WITHOUT_FIRMWARE },
      { id: 'api.backend.detailed', says: ['api.detailedProblems'], levels: ['WARN'] },
    ],
  },
  {
    because: 'a backend that fails or does not answer its health requests fails its other endpoints too',
    cause: { id: 'api.backend.health', levels: ['ERROR', 'STALE'] },
    explains: [
      { id: 'api.backend.detailed', levels: ['ERROR', 'STALE'] },
      { id: 'api.backend.auth', says: ['api.authNotVerified'] },
      { id: 'api.backend.cors', says: ['api.corsNotChecked'] },
      { id: 'rs485.bus.backend' },
    ],
  },
  {
    because: 'the E-Stop holds the firmware in ESTOP until it is released and reset',
    cause: { id: 'safety.estop', says: ['estop.pressed', 'estop.latched', 'estop.pressedUnregistered'] },
    explains: [{ id: 'api.firmware.state', params: { state: 'ESTOP' } }],
  },
  {
    because: 'a module gone from the bus times the firmware out and clears its communication flag',
    cause: { id: 'rs485.modules', says: ['rs485.offline', 'rs485.neverFound'] },
    explains: [
      { id: 'rs485.bus.stats', levels: ['WARN'] },
      { id: 'rs485.bus.backend', levels: PROBLEMS },
      { id: 'api.firmware.state', levels: ['WARN'] },
    ],
  },
  {
    because: 'off the network, nothing beyond the vehicle can be reached',
    cause: { id: 'network.interfaces', levels: ['ERROR', 'WARN'] },
    explains: [{ id: 'network.route' }, { id: 'network.center' }],
  },
  {
    because: 'without a default route, the center server is out of reach',
    cause: { id: 'network.route', levels: ['WARN'] },
    explains: [{ id: 'network.center' }],
  },
  {
    because: 'log files are what fills the partition they are on',
    cause: { id: 'resources.disk.logsSize', levels: ['WARN', 'ERROR'] },
    explains: [{ id: 'resources.disk' }],
  },
  {
    because: "a damaged database makes the backend's queries fail and its health report the database",
    cause: { id: 'data.database', levels: ['ERROR'] },
    explains: [{ id: 'logs.backend' }, { id: 'api.backend.detailed', levels: ['WARN', 'ERROR'] }],
  },
  {
    because: "a failed PostgreSQL or Redis is what the backend's health and journal complain about",
    cause: { id: 'services.failed', says: ['failed.dependencyFailed', 'failed.dependencyNotRunning'] },
    explains: [{ id: 'api.backend.detailed', levels: ['WARN', 'ERROR'] }, { id: 'logs.backend' }],
  },
  {
    because: 'no module answering is the adapter, the wiring or the power, not each module',
    cause: { id: 'rs485.offline.bus', says: ['bus.silent'] },
    explains: [{ id: 'rs485.offline' }],
  },
  {
    because: 'a module that does not answer cannot be read: its line and registers follow, and the bus misses it',
    cause: { id: 'rs485.offline', says: ['bus.absent'] },
    explains: [
      { id: 'rs485.offline', says: ['bus.notRead'], sibling: true },
      { id: 'rs485.offline.bus', says: ['bus.summary'], levels: ['WARN'] },
    ],
  },
  {
    because: 'errors on the line as a whole show on the line to each module',
    cause: { id: 'rs485.offline.bus', says: ['bus.summary'], levels: ['WARN'] },
    explains: [{ id: 'rs485.offline', says: ['bus.lineProblems'] }],
  },
  {
    because: "the safety module's status and error code say the E-Stop it holds",
    cause: { id: 'rs485.offline.safety.estop', levels: ['ERROR'] },
    explains: [{ id: 'rs485.offline.safety.status' }, { id: 'rs485.offline.safety.error', levels: ['WARN'] }],
  },
  {
    because: "a flat battery sets the power module's fault bits and its error code",
    cause: { id: 'rs485.offline.power.battery', levels: ['ERROR', 'WARN'] },
    explains: [{ id: 'rs485.offline.power.faults' }, { id: 'rs485.offline.power.error', levels: ['WARN'] }],
  },
];
