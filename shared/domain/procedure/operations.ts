import { z } from 'zod';

import { ParamRefSchema } from './commands';
import { dispatch } from './schemaDispatch';
import { GateNameSchema, type GateName } from './vocabulary';

/** The live preconditions (gates) a step declares, and the core operations a step may call instead of a command. */

export const GateSchema = z
  .object({
    gate: GateNameSchema,
    /** Whether a technician may run the step anyway while this gate is red (the override names who and why). */
    overridable: z.boolean().default(false),
  })
  .strict();
export type Gate = z.infer<typeof GateSchema>;

/** A gate written as its bare name ("vehicle.stopped") means a gate that cannot be overridden. */
export const GateEntrySchema: z.ZodType<Gate, unknown> = dispatch<Gate>((input) =>
  typeof input === 'string' ? GateNameSchema.transform((gate) => ({ gate, overridable: false })) : GateSchema,
);

export const OperationValueSchema = z.union([z.string(), z.number(), z.boolean(), ParamRefSchema]);
/** A systemd unit: "backend" and "firmware" mean the unit's own services as its profile names them. */
const ServiceParamsSchema = z
  .object({ service: z.string().regex(/^[A-Za-z0-9@._-]+$/, 'a systemd unit name, or "backend" / "firmware"') })
  .strict();
const BackupScopeSchema = z.enum(['config', 'data', 'full', 'incident']);

/**
 * The core operations a step may call instead of a command, with what each must declare: whether it changes the
 * vehicle, the live preconditions it cannot run without, and whether the technician types the unit's name first.
 */
export const OPERATIONS = {
  'service.start': { mutating: true, gates: ['vehicle.stopped'], destructive: false, params: ServiceParamsSchema },
  'service.stop': { mutating: true, gates: ['vehicle.stopped'], destructive: false, params: ServiceParamsSchema },
  'service.restart': { mutating: true, gates: ['vehicle.stopped'], destructive: false, params: ServiceParamsSchema },
  'service.enable': { mutating: true, gates: ['unit.reachable'], destructive: false, params: ServiceParamsSchema },
  /** A backup of the unit taken to the workstation (config: /opt/oht50/config, /etc/oht50, .env; data: + database). */
  'backup.unit': {
    mutating: false,
    gates: [],
    destructive: false,
    params: z.object({ scope: BackupScopeSchema }).strict(),
  },
  /** Restores a backup onto the unit; `backup` names one (a parameter), else the technician picks it. */
  'restore.unit': {
    mutating: true,
    gates: ['vehicle.stopped', 'backend.stopped', 'firmware.stopped'],
    destructive: true,
    params: z
      .object({ scope: z.enum(['config', 'data', 'full']), backup: z.union([z.string(), ParamRefSchema]).optional() })
      .strict(),
  },
  /** The firmware's ESTOP → IDLE reset; the hardware pin must read released. */
  'estop.reset': { mutating: true, gates: ['estop.released'], destructive: false, params: z.object({}).strict() },
  /** Scans the RS485 bus as its master; the vehicle's firmware polls the same bus, so it must be stopped. */
  'rs485.scan': {
    mutating: true,
    gates: ['firmware.stopped'],
    destructive: false,
    params: z
      .object({ from: z.number().int().min(1).max(247).optional(), to: z.number().int().min(1).max(247).optional() })
      .strict(),
  },
} as const satisfies Record<
  string,
  { mutating: boolean; gates: readonly GateName[]; destructive: boolean; params: z.ZodType }
>;
export type OperationName = keyof typeof OPERATIONS;
export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];
