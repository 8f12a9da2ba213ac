import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const TRACE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The client's X-Trace-Id when it is sane, else a fresh one: it becomes request.id and the envelope's traceId. */
export function traceIdFor(req: IncomingMessage): string {
  const header = req.headers['x-trace-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && TRACE_ID.test(value) ? value : crypto.randomBytes(8).toString('hex');
}

/** URLs are logged without secrets (`?token=` on the chat socket). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&]token=)[^&]*/gi, '$1[redacted]');
}
