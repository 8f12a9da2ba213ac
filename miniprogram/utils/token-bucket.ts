/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. The chat socket paces its sends with
 * it so a backlog flushed after a reconnect stays under the server's frame rate limit
 * (server: 20 frames/s, burst 40) instead of being refused with RATE_LIMITED.
 */
export interface RateOptions {
  perSecond: number;
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(private readonly rate: RateOptions) {
    this.tokens = Math.max(1, rate.burst);
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  waitMs(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) * 1000) / this.rate.perSecond);
  }

  private refill(now: number): void {
    if (this.updatedAt !== undefined && now > this.updatedAt) {
      const gained = ((now - this.updatedAt) * this.rate.perSecond) / 1000;
      this.tokens = Math.min(Math.max(1, this.rate.burst), this.tokens + gained);
    }
    this.updatedAt = now;
  }
}
