/**
 * Ids created on the device: chat client ids and idempotency keys. 128 random bits plus a time
 * prefix (sortable in logs); Math.random is enough here because the server only needs them to be
 * unique per user, not secret.
 */

let counter = 0;

export function createClientId(prefix = 'c', random: () => number = Math.random): string {
  counter = (counter + 1) % 0x10000;
  let bits = '';
  for (let i = 0; i < 4; i++) {
    bits += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  }
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}-${bits}`;
}
