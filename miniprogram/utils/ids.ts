/** Ids the request stack sends: X-Request-Id (per attempt), X-Trace-Id (per logical request),
 * Idempotency-Key (per mutation, reused by retries and outbox replays). */

function randomHex(length: number): string {
  let out = '';
  // Each draw gives about 13 hex digits after "0.".
  while (out.length < length) out += Math.random().toString(16).slice(2);
  return out.slice(0, length);
}

/**
 * 64 random bits per app launch + a sequence: ids from different launches never collide, and
 * no randomness is drawn per request (ids are made on the hot path).
 */
const launch = randomHex(16);
let sequence = 0;

/** 128-bit hex, the W3C trace-context trace-id shape; unique within and across launches. */
export function createTraceId(): string {
  return launch + (++sequence).toString(16).padStart(16, '0');
}

/** X-Request-Id: one per attempt, the same unique shape as a trace id. */
export const createRequestId = createTraceId;

/** A random (version 4 shaped) UUID. */
export function createIdempotencyKey(): string {
  const hex = randomHex(32);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
