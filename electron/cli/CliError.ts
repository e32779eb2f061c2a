/** A usage mistake on the command line: exit 64 (EX_USAGE) with one line and a hint. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_USAGE = 64;
export const EXIT_FAILURE = 1;
