/**
 * The producer's side of credit-based flow control: how much was sent that the consumer has not acknowledged yet.
 * A producer sends while `available()` is positive; an acknowledgement gives the credit back.
 */
export class CreditWindow {
  private unacknowledged = 0;

  constructor(readonly size: number) {}

  available(): number {
    return Math.max(0, this.size - this.unacknowledged);
  }

  get inFlight(): number {
    return this.unacknowledged;
  }

  sent(amount: number): void {
    this.unacknowledged += amount;
  }

  /** The consumer took `amount`; a consumer acknowledging more than was sent gives back no more than was sent. */
  acknowledged(amount: number): void {
    this.unacknowledged = Math.max(0, this.unacknowledged - amount);
  }
}
