import * as util from 'node:util';

/** ArrayBuffers cross realms (the app runs in a vm context), so test by tag, not instanceof. */
export function isArrayBufferLike(value: unknown): value is ArrayBuffer {
  return util.types.isArrayBuffer(value) || util.types.isSharedArrayBuffer(value);
}

/** WeChat's query serialisation for GET data: `k=v&...`, values URI-encoded, objects as JSON. */
export function toQueryString(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const text = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
      return `${encodeURIComponent(k)}=${encodeURIComponent(text)}`;
    })
    .join('&');
}

export function appendQuery(url: URL, query: string): URL {
  if (!query) return url;
  const next = new URL(url.href);
  next.search = next.search ? `${next.search}&${query}` : `?${query}`;
  return next;
}

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Header values from app code: only strings, numbers and booleans are sent, like a phone. */
export function plainHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value == null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[k] = String(v);
    }
  }
  return out;
}

/** A copy of the bytes as an ArrayBuffer of the app's realm when the host gives one. */
export function toArrayBuffer(
  bytes: Uint8Array,
  AppArrayBuffer: ArrayBufferConstructor = ArrayBuffer,
): ArrayBuffer {
  const out = new AppArrayBuffer(bytes.length);
  new Uint8Array(out).set(bytes);
  return out;
}

export function bytesOf(buffer: ArrayBuffer): Buffer {
  return Buffer.from(new Uint8Array(buffer));
}
