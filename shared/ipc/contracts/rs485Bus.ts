import { z } from 'zod';

import { ModuleTypeSchema } from '../../domain/rs485Profile';

/** The RS485 contract's bus side: line settings, serial ports, held buses, scans, monitored frames, simulated buses. */

export const SlaveSchema = z.number().int().min(1).max(247);
export const BusIdSchema = z.string().min(1);
export const IsoTimeSchema = z.string();
export const ModuleRefSchema = z.object({ type: ModuleTypeSchema, address: SlaveSchema });

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
