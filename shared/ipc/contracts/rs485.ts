import { z } from 'zod';

import { CheckResultSchema, DiagnosisReportSchema } from '../../domain/health';
import { JudgedLevelSchema, ModuleTypeSchema } from '../../domain/rs485Profile';
import { UnitNameSchema } from '../../domain/unit';

/**
 * The RS485 bus doctor's calls and events; shared/ipc/contract.ts merges them into the one contract.
 *
 * A bus is connected explicitly (rs485.connect → busId) and held until rs485.release, until the port goes away
 * (rs485.busChanged 'lost') or until the core closes. Every call that talks to modules names the bus; the core keeps
 * exactly one request in flight per bus whoever asks (a scan, a live read and a write queue behind each other).
 * Writes are two steps: plan (old → new, or why not) and apply with the plan's id; a safety-critical register needs
 * `confirm: true`, and every applied or refused write lands in the audit log.
 */

const SlaveSchema = z.number().int().min(1).max(247);
const BusIdSchema = z.string().min(1);
const IsoTimeSchema = z.string();

/** How the workstation drives the line; the firmware's own settings (115200 8N1, 1000 ms, 3 retries, 50 ms) unless told. */
export const BusSettingsInputSchema = z.object({
  baudRate: z
    .union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)])
    .default(115200),
  dataBits: z.union([z.literal(8), z.literal(7)]).default(8),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Reply timeout per request, from the end of the request on the wire. */
  timeoutMs: z.number().int().min(1).max(60_000).default(1000),
  /** Extra attempts after a timeout or CRC error (never after an exception reply). */
  retries: z.number().int().min(0).max(10).default(3),
  /** Silence kept after each exchange before the next request. */
  gapMs: z.number().int().min(0).max(10_000).default(50),
  /** The adapter hears its own transmission (no automatic direction control): strip the echo. */
  echoSuppression: z.boolean().default(false),
});
export type BusSettingsInput = z.input<typeof BusSettingsInputSchema>;
export type BusSettingsParsed = z.output<typeof BusSettingsInputSchema>;
export const BusSettingsSchema = z.object({
  baudRate: z.number().int(),
  dataBits: z.number().int(),
  parity: z.enum(['none', 'even', 'odd']),
  stopBits: z.number().int(),
  timeoutMs: z.number(),
  retries: z.number().int(),
  gapMs: z.number(),
  echoSuppression: z.boolean(),
});
export type BusSettingsView = z.infer<typeof BusSettingsSchema>;

export const SerialPortSchema = z.object({
  path: z.string(),
  /** "1a86:7523" (lower-case hex), or null when the port is not a USB device. */
  vidPid: z.string().nullable(),
  vendorId: z.string().nullable(),
  productId: z.string().nullable(),
  manufacturer: z.string().nullable(),
  serialNumber: z.string().nullable(),
  pnpId: z.string().nullable(),
  /** What the adapter probably is ("CH340 USB-RS485 adapter …"), when known. */
  hint: z.string().nullable(),
  /** The busId when this workstation holds the port. */
  busId: z.string().nullable(),
});
export type SerialPortView = z.infer<typeof SerialPortSchema>;

export const BusInfoSchema = z.object({
  busId: z.string(),
  port: z.string(),
  settings: BusSettingsSchema,
  connectedAt: IsoTimeSchema,
  /** A scan is running on this bus. */
  scanning: z.boolean(),
  /** The monitor recording this bus's frames, if one is. */
  monitorId: z.string().nullable(),
  /** The id of the simulated bus this port belongs to, when it is one. */
  simId: z.string().nullable(),
});
export type BusInfo = z.infer<typeof BusInfoSchema>;

export const ScannedModuleSchema = z.object({
  address: SlaveSchema,
  deviceId: z.number().int().nullable(),
  /** 0x0104's value, or inferred from the address (typeInferred) when the module does not say. */
  type: z.number().int().nullable(),
  typeRaw: z.number().int().nullable(),
  typeInferred: z.boolean(),
  typeName: z.string(),
  /** The register map this type is read by; null for a type no map knows. */
  moduleType: ModuleTypeSchema.nullable(),
  firmwareVersion: z.string().nullable(),
  hardwareVersion: z.string().nullable(),
  status: z.number().int().nullable(),
  error: z.number().int().nullable(),
  name: z.string().nullable(),
  serialNumber: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  /** It answered the quick probe only after the probe had stopped waiting, this many ms after it: a slow module. */
  lateMs: z.number().nullable(),
  /** More replies than requests came from this address: two modules may share it. */
  possibleDuplicate: z.boolean(),
  notes: z.array(z.string()),
});

export const ScanResultSchema = z.object({
  busId: z.string(),
  port: z.string(),
  baud: z.number().int(),
  from: SlaveSchema,
  to: SlaveSchema,
  durationMs: z.number().nonnegative(),
  /** How long the last probe waited: calibrated in the quick pass, the bus's own timeout in a thorough one. */
  probeTimeoutMs: z.number().nonnegative(),
  /** A thorough scan: each address asked with the bus's own timeout and retries. */
  thorough: z.boolean(),
  cancelled: z.boolean(),
  modules: z.array(ScannedModuleSchema),
  /**
   * Addresses in the scan where the register maps expect a module and none answered: worth a thorough scan (the
   * bus's own timeout and retries), which a quick one does not do for every empty address.
   */
  expectedMissing: z.array(z.object({ address: SlaveSchema, moduleType: ModuleTypeSchema })),
  /** Addresses where something answered but no module could be read (garbled, foreign, colliding). */
  suspects: z.array(
    z.object({ address: SlaveSchema, code: z.string(), reason: z.string(), possibleDuplicate: z.boolean() }),
  ),
});
export type ScanResultView = z.infer<typeof ScanResultSchema>;

const RegisterAccessSchema = z.enum(['R', 'RW', 'W']);

/** One register of a module as read: what the map says about it, and the value decoded with the raw word beside it. */
export const RegisterReadingSchema = z.object({
  address: z.number().int().min(0).max(0xffff),
  addressHex: z.string(),
  name: z.string(),
  label: z.string(),
  unit: z.string(),
  access: RegisterAccessSchema,
  safetyCritical: z.boolean(),
  min: z.number(),
  max: z.number(),
  /** The enum values a write may choose from, when the register has them. */
  enumValues: z.array(z.object({ value: z.number(), name: z.string() })).optional(),
  /** The named bits, when it is a bit field, each with whether it is set now. */
  bits: z.array(z.object({ bit: z.number().int(), name: z.string(), set: z.boolean() })).optional(),
  /** Null when the register could not be read (failure says why). */
  raw: z.number().int().nullable(),
  rawHex: z.string().nullable(),
  value: z.number().nullable(),
  /** "24.3 V", "ESTOP (3)", "0x0042: undervoltage, battery low". */
  text: z.string().nullable(),
  meaning: z.string().optional(),
  level: JudgedLevelSchema.nullable(),
  reasons: z.array(z.string()),
  failure: z.string().nullable(),
});
export type RegisterReading = z.infer<typeof RegisterReadingSchema>;

/** A technician's map in place of a shipped one: the shipped version and what the technician's file changes. */
export const MapSupersedesSchema = z.object({
  version: z.number().int(),
  file: z.string(),
  changes: z.array(z.object({ path: z.string(), shipped: z.string().nullable(), edited: z.string().nullable() })),
});

export const ModuleProfileRefSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  source: z.enum(['shipped', 'user']),
  supersedes: MapSupersedesSchema.nullable(),
  /** Safety flags of the shipped maps the workstation kept although the technician's map loosened them. */
  keptFlags: z.array(z.string()),
});

export const ModuleReadingSchema = z.object({
  busId: z.string(),
  slave: SlaveSchema,
  type: ModuleTypeSchema,
  /** 0x0104's value; null when it could not be read. */
  typeRaw: z.number().int().nullable(),
  /** register: the module said its type; override: the caller named it. */
  source: z.enum(['register', 'override']),
  profile: ModuleProfileRefSchema,
  notes: z.array(z.string()),
  readAt: IsoTimeSchema,
  durationMs: z.number().nonnegative(),
  registers: z.array(RegisterReadingSchema),
});
export type ModuleReading = z.infer<typeof ModuleReadingSchema>;

const ModuleRefSchema = z.object({ type: ModuleTypeSchema, address: SlaveSchema });

const DecodedValueSchema = z.object({
  raw: z.number().int(),
  rawHex: z.string(),
  value: z.number(),
  text: z.string(),
});

export const WritePlanSchema = z.object({
  planId: z.string(),
  busId: z.string(),
  action: z.enum(['rs485.write', 'rs485.clearErrors', 'rs485.restore']),
  unit: z.string().nullable(),
  module: z.object({
    type: ModuleTypeSchema,
    address: SlaveSchema,
    profileId: z.string(),
    profileVersion: z.number().int(),
  }),
  register: z
    .object({
      name: z.string(),
      label: z.string(),
      address: z.number().int(),
      addressHex: z.string(),
      unit: z.string(),
      access: RegisterAccessSchema,
      safetyCritical: z.boolean(),
    })
    .nullable(),
  /** What the register holds now; null for a command or when it could not be read. */
  old: DecodedValueSchema.nullable(),
  new: z.object({ value: z.number(), raw: z.number().int(), text: z.string() }).nullable(),
  /** Why this write will not be made; absent when it may be. Applying a refused plan records the refusal. */
  refused: z.string().optional(),
  /** Safety-critical: rs485.applyWrite needs confirm: true. */
  needsConfirmation: z.boolean(),
  unchanged: z.boolean(),
  /** "Power 0x02 Charger voltage setpoint (chargerVoltageSet, 0x0030): 25.2 V → 24.5 V" */
  summary: z.string(),
  /** The plan is forgotten after this (apply it before, or plan again). */
  expiresAt: IsoTimeSchema,
});
export type WritePlanView = z.infer<typeof WritePlanSchema>;

const AuditReceiptSchema = z.object({ seq: z.number().int(), id: z.string() });

export const WriteResultSchema = z.object({
  planId: z.string(),
  outcome: z.enum(['ok', 'failed', 'refused']),
  message: z.string(),
  /** What the verifying read found. */
  readBack: DecodedValueSchema.extend({ name: z.string() }).optional(),
  audit: AuditReceiptSchema,
});
export type WriteResultView = z.infer<typeof WriteResultSchema>;

export const BusFrameSchema = z.object({
  /** Epoch ms with sub-ms precision. */
  at: z.number(),
  direction: z.enum(['tx', 'rx']),
  /** "02 03 01 00 00 01 84 39" */
  hex: z.string(),
  crcOk: z.boolean(),
  /** "slave 2 FC03 read 0x0100 ×1" */
  meaning: z.string(),
});
export type BusFrameView = z.infer<typeof BusFrameSchema>;

export const MonitorSourceSchema = z.discriminatedUnion('kind', [
  /** The frames of a bus this workstation is master of. */
  z.object({ kind: z.literal('bus'), busId: BusIdSchema }),
  /** Listen only on a port nobody here holds (another master drives it); sends nothing. */
  z.object({ kind: z.literal('listen'), port: z.string().min(1), settings: BusSettingsInputSchema.prefault({}) }),
]);

export const MonitorInfoSchema = z.object({
  monitorId: z.string(),
  kind: z.enum(['bus', 'listen']),
  busId: z.string().nullable(),
  port: z.string(),
  startedAt: IsoTimeSchema,
  /** Frames held (the newest, up to capacity) and dropped from the front. */
  frames: z.number().int().nonnegative(),
  dropped: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
  running: z.boolean(),
});

export const ParamsBackupSummarySchema = z.object({
  id: z.string(),
  unit: z.string().nullable(),
  takenAt: IsoTimeSchema,
  takenBy: z.string(),
  note: z.string().nullable(),
  modules: z.array(z.object({ type: ModuleTypeSchema, registers: z.number().int(), unread: z.number().int() })),
});

export const ParamsBackupSchema = z.object({
  id: z.string(),
  unit: z.string().nullable(),
  takenAt: IsoTimeSchema,
  takenBy: z.string(),
  note: z.string().nullable(),
  modules: z.array(
    z.object({
      type: ModuleTypeSchema,
      slave: SlaveSchema,
      profileId: z.string(),
      profileVersion: z.number().int(),
      values: z.array(
        z.object({
          address: z.number().int(),
          name: z.string(),
          raw: z.number().int().nullable(),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
});

export const RestorePlanSchema = z.object({
  planId: z.string(),
  busId: z.string(),
  backupId: z.string(),
  expiresAt: IsoTimeSchema,
  /** Some difference is safety-critical: rs485.params.restore needs confirm: true. */
  needsConfirmation: z.boolean(),
  modules: z.array(
    z.object({
      type: ModuleTypeSchema,
      address: SlaveSchema,
      profileId: z.string(),
      /** Why nothing of this backup goes back to this module; absent when it may. */
      refused: z.string().optional(),
      differences: z.array(
        z.object({
          name: z.string(),
          label: z.string(),
          address: z.number().int(),
          backupRaw: z.number().int(),
          currentRaw: z.number().int(),
          /** "25.2 V → 24.5 V": now → backed up. */
          change: z.string(),
          safetyCritical: z.boolean(),
          /** The safe-write rules refuse this one (read-only now, out of range): it will not be written. */
          refused: z.string().optional(),
        }),
      ),
      same: z.array(z.string()),
      skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
    }),
  ),
});

export type RestorePlanView = z.infer<typeof RestorePlanSchema>;

export const SecondMasterSchema = z.object({
  unit: z.string(),
  /** none: nothing else polls the bus; likely: the firmware runs; unknown: it could not be told. */
  hazard: z.enum(['none', 'likely', 'unknown']),
  sshReachable: z.boolean().nullable(),
  firmwareActive: z.boolean().nullable(),
  firmwareService: z.string(),
  /** Why SSH or systemctl could not tell, when they could not. */
  reason: z.string().nullable(),
  mayProceed: z.boolean(),
  /** The rs485.offline.master check, as rs485.diagnose puts it in the tree. */
  check: CheckResultSchema,
  choices: z.array(z.object({ id: z.enum(['proceed', 'stop-firmware', 'bench-bus', 'cancel']), label: z.string() })),
  /** What stopping the firmware would do, for the confirmation dialog (present when it is offered). */
  stopFirmware: z
    .object({ title: z.string(), commands: z.array(z.string()), undo: z.array(z.string()), consequences: z.string() })
    .nullable(),
});

export const SimFaultsSchema = z.object({
  estopPressed: z.boolean().optional(),
  lowBattery: z.boolean().optional(),
  missing: z.array(ModuleTypeSchema).optional(),
  noise: z
    .object({ everyNth: z.number().int().min(1).max(1000), modules: z.array(ModuleTypeSchema).optional() })
    .optional(),
  slowMs: z
    .object({
      power: z.number().int().min(0).max(10_000).optional(),
      safety: z.number().int().min(0).max(10_000).optional(),
      travel: z.number().int().min(0).max(10_000).optional(),
      dock: z.number().int().min(0).max(10_000).optional(),
    })
    .optional(),
  ignoreWrites: z.array(ModuleTypeSchema).optional(),
});
export type SimFaultsInput = z.infer<typeof SimFaultsSchema>;

export const SimInfoSchema = z.object({
  simId: z.string(),
  /** The port a master opens (rs485.connect to it). */
  port: z.string(),
  faults: SimFaultsSchema,
  modules: z.array(ModuleRefSchema),
  startedAt: IsoTimeSchema,
});

const PlanIdSchema = z.string().min(1);

export const rs485Calls = {
  'rs485.ports': {
    input: z.object({}),
    output: z.array(SerialPortSchema),
  },
  'rs485.profiles': {
    input: z.object({}),
    output: z.object({
      profiles: z.array(
        z.object({
          id: z.string(),
          moduleType: ModuleTypeSchema,
          title: z.string(),
          version: z.number().int(),
          source: z.enum(['shipped', 'user']),
          /** The map a module of this type is read by unless the caller names another. */
          selected: z.boolean(),
          supersedes: MapSupersedesSchema.nullable(),
          keptFlags: z.array(z.string()),
        }),
      ),
      problems: z.array(z.object({ file: z.string(), message: z.string() })),
    }),
  },
  'rs485.connect': {
    input: z.object({ port: z.string().min(1), settings: BusSettingsInputSchema.prefault({}) }),
    output: BusInfoSchema,
  },
  'rs485.release': {
    input: z.object({ busId: BusIdSchema }),
    output: z.object({ released: z.boolean() }),
  },
  'rs485.buses': {
    input: z.object({}),
    output: z.array(BusInfoSchema),
  },
  /**
   * A quick scan of from..to, or of the `addresses` named; `thorough` asks each with the bus's own timeout and
   * retries instead of the quick pass's calibrated wait (for the expected modules a quick scan did not find).
   */
  'rs485.scan': {
    input: z
      .object({
        busId: BusIdSchema,
        from: SlaveSchema.default(1),
        to: SlaveSchema.default(247),
        addresses: z.array(SlaveSchema).min(1).max(247).optional(),
        thorough: z.boolean().default(false),
      })
      .refine((v) => v.from <= v.to, { message: 'from must not be above to', path: ['from'] }),
    output: ScanResultSchema,
  },
  'rs485.scan.cancel': {
    input: z.object({ busId: BusIdSchema }),
    output: z.object({ cancelled: z.boolean() }),
  },
  'rs485.readModule': {
    input: z.object({ busId: BusIdSchema, slave: SlaveSchema, type: ModuleTypeSchema.optional() }),
    output: ModuleReadingSchema,
  },
  'rs485.diagnose': {
    input: z.object({
      busId: BusIdSchema,
      /** The unit on this bus: adds the second-master check over SSH and stores the report in its history. */
      unit: UnitNameSchema.optional(),
      /** The modules expected; the four at their usual addresses (power 2, safety 3, travel 4, dock 5) unless told. */
      modules: z.array(ModuleRefSchema).min(1).max(16).optional(),
    }),
    output: DiagnosisReportSchema,
  },
  /** The bus's latest offline diagnosis while it is held (from any face: the page, the CLI, the demo); null before one. */
  'rs485.lastDiagnosis': {
    input: z.object({ busId: BusIdSchema }),
    output: DiagnosisReportSchema.nullable(),
  },
  'rs485.planWrite': {
    input: z.object({
      busId: BusIdSchema,
      slave: SlaveSchema,
      type: ModuleTypeSchema.optional(),
      /** The register by its name in the map, or its address. Ignored for clearErrors. */
      register: z.union([z.string().min(1), z.number().int().min(0).max(0xffff)]).optional(),
      /** In the register's units, an enum name, or a raw "0x…" word. */
      value: z.union([z.string().min(1), z.number()]).optional(),
      /** clearErrors: the module's reset-errors command, verified by its error register. */
      action: z.enum(['write', 'clearErrors']).default('write'),
      unit: UnitNameSchema.optional(),
    }),
    output: WritePlanSchema,
  },
  'rs485.applyWrite': {
    input: z.object({ planId: PlanIdSchema, confirm: z.boolean().default(false) }),
    output: WriteResultSchema,
  },
  'rs485.monitor.start': {
    input: z.object({
      source: MonitorSourceSchema,
      /** Frames kept for export; the newest win. */
      capacity: z.number().int().min(100).max(200_000).default(20_000),
    }),
    output: MonitorInfoSchema,
  },
  'rs485.monitor.stop': {
    input: z.object({ monitorId: z.string().min(1) }),
    output: MonitorInfoSchema,
  },
  'rs485.monitor.list': {
    input: z.object({}),
    output: z.array(MonitorInfoSchema),
  },
  'rs485.monitor.frames': {
    input: z.object({ monitorId: z.string().min(1), limit: z.number().int().min(1).max(5000).default(500) }),
    output: z.object({ monitor: MonitorInfoSchema, frames: z.array(BusFrameSchema).max(5000) }),
  },
  'rs485.monitor.export': {
    input: z.object({
      monitorId: z.string().min(1),
      format: z.enum(['text', 'csv']).default('csv'),
      /** Written to this file when given; otherwise the content comes back. */
      path: z.string().min(1).optional(),
    }),
    output: z.object({
      format: z.enum(['text', 'csv']),
      frames: z.number().int(),
      path: z.string().nullable(),
      content: z.string().nullable(),
    }),
  },
  'rs485.params.backup': {
    input: z.object({
      busId: BusIdSchema,
      unit: UnitNameSchema.optional(),
      note: z.string().max(500).optional(),
      /** The four at their usual addresses unless told; modules that do not answer are skipped (and said so). */
      modules: z.array(ModuleRefSchema).min(1).max(16).optional(),
    }),
    output: z.object({ backup: ParamsBackupSummarySchema, skipped: z.array(z.string()) }),
  },
  'rs485.params.list': {
    input: z.object({
      /** The unit's backups; absent: those of a bench bus. */
      unit: UnitNameSchema.optional(),
      limit: z.number().int().min(1).max(1000).default(50),
    }),
    output: z.array(ParamsBackupSummarySchema),
  },
  'rs485.params.get': {
    input: z.object({ backupId: z.string().min(1) }),
    output: ParamsBackupSchema,
  },
  'rs485.params.planRestore': {
    input: z.object({ busId: BusIdSchema, backupId: z.string().min(1), unit: UnitNameSchema.optional() }),
    output: RestorePlanSchema,
  },
  'rs485.params.restore': {
    input: z.object({
      planId: PlanIdSchema,
      /** Register names to restore; every difference when absent. */
      only: z.array(z.string()).optional(),
      confirm: z.boolean().default(false),
    }),
    output: z.object({
      results: z.array(
        z.object({
          type: ModuleTypeSchema,
          address: SlaveSchema,
          name: z.string(),
          outcome: z.enum(['ok', 'failed', 'refused']),
          message: z.string(),
          audit: AuditReceiptSchema,
        }),
      ),
    }),
  },
  'rs485.secondMaster': {
    input: z.object({ unit: UnitNameSchema }),
    output: SecondMasterSchema,
  },
  'rs485.stopFirmware': {
    input: z.object({ unit: UnitNameSchema, confirm: z.boolean().default(false) }),
    output: z.object({
      unit: z.string(),
      service: z.string(),
      /** The service reads as stopped afterwards. */
      stopped: z.boolean(),
      message: z.string(),
      /** How to start it again when the work on the bus is done. */
      undo: z.array(z.string()),
      audit: AuditReceiptSchema,
    }),
  },
  'rs485.sim.start': {
    input: z.object({
      faults: SimFaultsSchema.default({}),
      /** Also connect to it with these settings; the bus appears in rs485.buses. */
      connect: z.boolean().default(false),
    }),
    output: z.object({ sim: SimInfoSchema, bus: BusInfoSchema.nullable() }),
  },
  'rs485.sim.setFaults': {
    input: z.object({ simId: z.string().min(1), faults: SimFaultsSchema }),
    output: SimInfoSchema,
  },
  'rs485.sim.stop': {
    input: z.object({ simId: z.string().min(1) }),
    output: z.object({ stopped: z.boolean() }),
  },
  'rs485.sim.list': {
    input: z.object({}),
    output: z.array(SimInfoSchema),
  },
} as const;

export const rs485Events = {
  /** An adapter was plugged in or pulled out (polled while anything has asked for rs485.ports). */
  'rs485.portsChanged': z.object({
    kind: z.enum(['added', 'removed']),
    port: SerialPortSchema,
    ports: z.array(SerialPortSchema),
  }),
  /** A bus was connected, released, or lost (its port went away: reason says so). */
  'rs485.busChanged': z.object({
    busId: z.string(),
    port: z.string(),
    state: z.enum(['connected', 'released', 'lost']),
    reason: z.string().nullable(),
  }),
  'rs485.scanProgress': z.object({
    busId: z.string(),
    address: z.number().int(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    found: z.number().int().nonnegative(),
    timeoutMs: z.number().nonnegative(),
  }),
  /** Bounded batches of a monitor's frames (about 10 a second while frames flow). */
  'rs485.frames': z.object({
    monitorId: z.string(),
    busId: z.string().nullable(),
    frames: z.array(BusFrameSchema).max(1000),
    /** Frames not sent in batches since the last one because they came too fast (still held for export). */
    dropped: z.number().int().nonnegative(),
  }),
  /** A monitor ended on its own (its port went away) or was stopped. */
  'rs485.monitorEnded': z.object({ monitorId: z.string(), reason: z.string().nullable() }),
} as const;
