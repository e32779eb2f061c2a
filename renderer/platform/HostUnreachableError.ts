/**
 * The workstation service itself did not answer (network error, or a reply that is not an envelope).
 * Kept apart from AppError because no core produced it: it says the page lost its host, not what the vehicle did.
 */
export class HostUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HostUnreachableError';
  }
}
