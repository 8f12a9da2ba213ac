import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const TRACE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

// A random per-process prefix plus a counter: unique, and cheaper than random bytes per request.
const processPrefix = crypto.randomBytes(4).toString('hex');
let counter = 0;

export const newTraceId = (): string =>
  `${processPrefix}${(++counter).toString(16).padStart(8, '0')}`;

/** The client's X-Trace-Id when it is sane, else a fresh one: it becomes request.id and the envelope's traceId. */
export function traceIdFor(req: IncomingMessage): string {
  const header = req.headers['x-trace-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && TRACE_ID.test(value) ? value : newTraceId();
}

/** URLs are logged without secrets (`?token=` on the chat socket). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&]token=)[^&]*/gi, '$1[redacted]');
}
