/** Ids the request stack sends: X-Request-Id (per attempt), X-Trace-Id (per logical request),
 * Idempotency-Key (per mutation, reused by retries and outbox replays). */

let sequence = 0;

function randomHex(length: number): string {
  let out = '';
  while (out.length < length) {
    out += Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  }
  return out.slice(0, length);
}

/** Unique per attempt; the sequence keeps ids ordered within one app run. */
export function createRequestId(): string {
  sequence = (sequence + 1) % 0x100000000;
  return `${Date.now().toString(36)}-${sequence.toString(36)}-${randomHex(4)}`;
}

/** 128-bit hex, the W3C trace-context trace-id shape. */
export function createTraceId(): string {
  return randomHex(32);
}

/** A random (version 4 shaped) UUID. */
export function createIdempotencyKey(): string {
  const hex = randomHex(32);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
