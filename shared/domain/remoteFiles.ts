import { z } from 'zod';

/** An absolute path on the vehicle: no `.` or `..` segments, no empty ones, no control characters. */
export const RemotePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (path) =>
      path === '/' ||
      (path.startsWith('/') &&
        !path.endsWith('/') &&
        ![...path].some((c) => c < ' ' || c === '\u007f') &&
        path
          .slice(1)
          .split('/')
          .every((part) => part !== '' && part !== '.' && part !== '..')),
    'an absolute path on the unit without ".", ".." or empty parts',
  );

export const RemoteEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  type: z.enum(['file', 'dir', 'symlink', 'other']),
  /** Permission bits, e.g. 0o640 (420 is 0o644). */
  mode: z.number().int(),
  uid: z.number().int(),
  gid: z.number().int(),
  /** The owner's and group's names where the vehicle said them, else their numbers. */
  owner: z.string(),
  group: z.string(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
});
export type RemoteEntry = z.infer<typeof RemoteEntrySchema>;

/** How a file was reached: as the login user over SFTP, or as root through `sudo -n`. */
export const FileAccessSchema = z.enum(['sftp', 'sudo']);
export type FileAccess = z.infer<typeof FileAccessSchema>;

/** One hunk of a line diff, as `diff -u` shows it: lines start with ' ', '-' or '+'. */
export const DiffHunkSchema = z.object({
  oldStart: z.number().int(),
  oldLines: z.number().int(),
  newStart: z.number().int(),
  newLines: z.number().int(),
  lines: z.array(z.string()),
});
export type DiffHunk = z.infer<typeof DiffHunkSchema>;

export const FileDiffSchema = z.object({
  hunks: z.array(DiffHunkSchema),
  added: z.number().int(),
  removed: z.number().int(),
});
export type FileDiff = z.infer<typeof FileDiffSchema>;

/** A text file as the Files tab shows it; `text` is null for a file that is not text (or too large to show). */
export const RemoteFileSchema = z.object({
  entry: RemoteEntrySchema,
  text: z.string().nullable(),
  /** Why the text is not shown: binary content, or larger than the viewer takes. */
  notShown: z.enum(['binary', 'too-large']).nullable(),
  sha256: z.string(),
  via: FileAccessSchema,
  /** The services whose files these are (the backup profile says), and which of them run now. */
  services: z.array(z.string()),
});
export type RemoteFile = z.infer<typeof RemoteFileSchema>;

/** Text files up to this size are shown and may be edited. */
export const EDITABLE_MAX_BYTES = 1024 * 1024;
