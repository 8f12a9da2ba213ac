/** Ids the request stack sends: X-Request-Id (per attempt), X-Trace-Id (per logical request),
 * Idempotency-Key (per mutation, reused by retries and outbox replays). */

let sequence = 0;

// Byte → two hex digits, precomputed: ids are made for every request, on the hot path.
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i + 256).toString(16).slice(1));

function randomHex(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 2) out += HEX[(Math.random() * 256) | 0];
  return out.length === length ? out : out.slice(0, length);
}

/** Random per app launch, so ids from different launches never collide. */
const launch = randomHex(8);

/** Unique per attempt: launch prefix + a sequence (ordered within one run, cheap to make). */
export function createRequestId(): string {
  sequence = (sequence + 1) % 0x100000000;
  return `${launch}-${sequence.toString(36)}`;
}

/**
 * 128-bit hex, the W3C trace-context trace-id shape: 64 random bits per launch + a 64-bit
 * sequence, unique without drawing randomness for every request.
 */
const traceLaunch = randomHex(16);
let traceSequence = 0;

export function createTraceId(): string {
  traceSequence++;
  return traceLaunch + traceSequence.toString(16).padStart(16, '0');
}

/** A random (version 4 shaped) UUID. */
export function createIdempotencyKey(): string {
  const hex = randomHex(32);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
