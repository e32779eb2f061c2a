import { z } from 'zod';

import { DiagnosisReportSchema } from '../../domain/health';
import { ModuleTypeSchema } from '../../domain/rs485Profile';
import { UnitNameSchema } from '../../domain/unit';
import {
  BusFrameSchema,
  BusIdSchema,
  BusInfoSchema,
  BusSettingsInputSchema,
  MonitorInfoSchema,
  MonitorSourceSchema,
  ModuleRefSchema,
  ScanResultSchema,
  SerialPortSchema,
  SimFaultsSchema,
  SimInfoSchema,
  SlaveSchema,
} from './rs485Bus';
import {
  AuditReceiptSchema,
  MapSupersedesSchema,
  ModuleReadingSchema,
  ParamsBackupSchema,
  ParamsBackupSummarySchema,
  RegisterReadSchema,
  RestorePlanSchema,
  SecondMasterSchema,
  WritePlanSchema,
  WriteResultSchema,
} from './rs485Modules';

export * from './rs485Bus';
export * from './rs485Modules';

/**
 * The RS485 bus doctor's calls and events; shared/ipc/contract.ts merges them into the one contract.
 *
 * A bus is connected explicitly (rs485.connect → busId) and held until rs485.release, until the port goes away
 * (rs485.busChanged 'lost') or until the core closes. Every call that talks to modules names the bus; the core keeps
 * exactly one request in flight per bus whoever asks (a scan, a live read and a write queue behind each other).
 * Writes are two steps: plan (old → new, or why not) and apply with the plan's id; a safety-critical register needs
 * `confirm: true`, and every applied or refused write lands in the audit log.
 */

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
  /** Raw words of a slave (FC03 holding, FC04 input); `decode` names them by the module's register map. */
  'rs485.readRegisters': {
    input: z
      .object({
        busId: BusIdSchema,
        slave: SlaveSchema,
        register: z.number().int().min(0).max(0xffff),
        count: z.number().int().min(1).max(125).default(1),
        function: z.enum(['holding', 'input']).default('holding'),
        decode: z.boolean().default(false),
        type: ModuleTypeSchema.optional(),
      })
      .refine((v) => v.register + v.count - 1 <= 0xffff, {
        message: 'the read runs past register 0xFFFF',
        path: ['count'],
      }),
    output: RegisterReadSchema,
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
      /** Where the master end's path is linked (a temporary path when absent). */
      link: z.string().min(1).optional(),
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
