import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The text of a PDF as poppler's pdftotext reads it (in reading order), to check what a printed report says. */
export async function pdfText(file: string): Promise<string> {
  const { stdout } = await run('pdftotext', [file, '-'], { maxBuffer: 32 * 1024 * 1024 });
  // Words as a reader meets them: a cell that wraps, wraps at a space, so runs of spaces and lines become one space.
  return stdout.replace(/\s+/g, ' ');
}
