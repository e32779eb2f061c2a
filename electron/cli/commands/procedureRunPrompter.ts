import { createInterface } from 'node:readline/promises';

/** Asks the technician one question on the terminal; undefined when the input has ended. */
export type Prompter = { ask(question: string): Promise<string | undefined>; close(): void };

export function terminalPrompter(): Prompter {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  let ended = false;
  rl.on('close', () => {
    ended = true;
  });
  return {
    async ask(question) {
      if (ended) {
        return undefined;
      }
      try {
        return await rl.question(question);
      } catch {
        return undefined;
      }
    },
    close: () => rl.close(),
  };
}
