import { z } from 'zod';

import {
  DiffHunkSchema,
  FileAccessSchema,
  FileDiffSchema,
  RemoteEntrySchema,
  RemoteFileSchema,
  RemotePathSchema,
} from '../../domain/remoteFiles';
import { UnitNameSchema } from '../../domain/unit';
import { GateEvaluationSchema } from './procedureRuns';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');
const EditInputSchema = z.object({
  unit: UnitNameSchema,
  path: RemotePathSchema,
  text: z.string().max(1024 * 1024),
  /** The SHA-256 of the file as it was read: an edit of a file changed since is refused. */
  baseSha256: Sha256Schema,
});

/**
 * The unit's files: the folders of its profile (the install folder, /etc/oht50, the systemd units…) browsed over SFTP
 * as the login user, and through `sudo -n` where only root may read. A text file's edit is shown as a diff first; it
 * is written only once confirmed, after the old file was saved to the backup store, atomically with its owner and
 * mode kept, gated like a service change when a running service owns it, and audited.
 */
export const filesCalls = {
  'files.roots': {
    input: z.object({ unit: UnitNameSchema }),
    output: z.object({ roots: z.array(z.string()) }),
  },
  'files.list': {
    input: z.object({ unit: UnitNameSchema, path: RemotePathSchema }),
    output: z.object({ path: z.string(), entries: z.array(RemoteEntrySchema), via: FileAccessSchema }),
  },
  'files.read': {
    input: z.object({ unit: UnitNameSchema, path: RemotePathSchema }),
    output: RemoteFileSchema,
  },
  'files.download': {
    input: z.object({ unit: UnitNameSchema, path: RemotePathSchema }),
    output: z.object({
      fileName: z.string(),
      size: z.number().int(),
      sha256: z.string(),
      contentBase64: z.string(),
    }),
  },
  /** The file now against its copy in a backup (of the unit, or a pre-edit copy), as a line diff. */
  'files.compare': {
    input: z.object({ unit: UnitNameSchema, path: RemotePathSchema, backupId: z.string().min(1) }),
    output: z.object({
      backupId: z.string(),
      takenAt: z.string(),
      /** Null: the file is not on the unit now, or not in that backup. */
      current: z.string().nullable(),
      backup: z.string().nullable(),
      diff: FileDiffSchema,
    }),
  },
  /** What an edit would change, and what it needs: nothing is written. */
  'files.planEdit': {
    input: EditInputSchema,
    output: z.object({
      diff: FileDiffSchema,
      unchanged: z.boolean(),
      /** Services this file belongs to, and those running now: while one runs, the vehicle must be stopped. */
      services: z.array(z.string()),
      running: z.array(z.string()),
      gates: z.array(z.literal('vehicle.stopped')),
      via: FileAccessSchema,
    }),
  },
  'files.applyEdit': {
    input: EditInputSchema.extend({ confirm: z.literal(true) }),
    output: z.object({
      path: z.string(),
      /** The one-file backup holding the file as it was before. */
      backupId: z.string(),
      sha256: z.string(),
      entry: RemoteEntrySchema,
      via: FileAccessSchema,
      gates: z.array(GateEvaluationSchema),
      hunks: z.array(DiffHunkSchema),
    }),
  },
} as const;

export const filesEvents = {} as const;
