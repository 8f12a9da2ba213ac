/** Idempotency keys for mutations the outbox may replay: unique per user action. */
let counter = 0;

export function createIdempotencyKey(): string {
  counter = (counter + 1) % 0x100000;
  const random = Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
  return `fav-${Date.now().toString(36)}-${counter.toString(36)}-${random}`;
}
