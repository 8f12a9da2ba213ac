/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * the delay is uniform in [0, min(cap, base * 2^attempt)], so many clients that dropped together
 * do not reconnect together.
 */

export interface BackoffOptions {
  /** Delay ceiling before jitter for the first retry. Default 500 ms. */
  baseMs?: number;
  /** Upper bound of any delay. Default 30 s. */
  capMs?: number;
  /** Source of randomness in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

export function backoffDelay(
  attempt: number,
  { baseMs = 500, capMs = 30_000, random = Math.random }: BackoffOptions = {},
): number {
  // Clamp the exponent so 2^attempt never overflows into Infinity.
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}
