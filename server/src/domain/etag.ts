import crypto from 'node:crypto';

/** A weak validator over the data only (never the envelope, whose traceId differs per reply). */
export function etagFor(data: unknown): string {
  return `W/"${crypto.createHash('sha1').update(JSON.stringify(data)).digest('base64url')}"`;
}
