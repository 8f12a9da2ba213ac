import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import { WxFailure } from '../callback';
import type { ConcurrencyLimiter } from './limiter';
import { type NetworkConditions, netErrorReason } from './state';

export interface HttpCallSpec {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  timeoutMs: number;
  onUploadProgress?(sent: number, total: number): void;
  onHeaders?(statusCode: number, header: Record<string, string>, cookies: string[]): void;
  onChunk?(chunk: Buffer, received: number, expected: number): void;
}

export interface HttpResponse {
  statusCode: number;
  header: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

export interface HttpCall {
  /** Rejects with a WxFailure whose reason is WeChat's (`timeout`, `abort`, `net::ERR_...`). */
  readonly done: Promise<HttpResponse>;
  abort(): void;
}

const UPLOAD_CHUNK = 64 * 1024;
const MAX_REDIRECTS = 10;

/** Compressed bodies arrive decoded, as on a phone. */
function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      return zlib.inflateSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    default:
      return body;
  }
}

/** Response headers with the server's own casing, as WeChat reports them. */
export function headersOf(res: http.IncomingMessage): {
  header: Record<string, string>;
  cookies: string[];
} {
  const header: Record<string, string> = {};
  const cookies: string[] = [];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [name, value] = [raw[i], raw[i + 1]];
    if (name.toLowerCase() === 'set-cookie') cookies.push(value);
    const existing = Object.keys(header).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing) header[existing] += ',' + value;
    else header[name] = value;
  }
  return { header, cookies };
}

/**
 * One HTTP exchange under the phone's rules: waits for one of the shared slots, the simulated
 * latency, fails at once when offline, ends on timeout/abort/going offline. Every path settles.
 */
export function startHttpCall(
  network: NetworkConditions,
  limiter: ConcurrencyLimiter,
  spec: HttpCallSpec,
): HttpCall {
  let settled = false;
  let req: http.ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  let release: (() => void) | undefined;
  let untrack: (() => void) | undefined;
  let resolveDone!: (res: HttpResponse) => void;
  let rejectDone!: (error: WxFailure) => void;
  const done = new Promise<HttpResponse>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const slot = limiter.acquire();

  const finish = (error: WxFailure | null, res?: HttpResponse) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    slot.cancel();
    untrack?.();
    release?.();
    if (error) {
      req?.destroy();
      rejectDone(error);
    } else if (res) {
      resolveDone(res);
    }
  };

  let redirects = 0;
  const send = (url: URL, method: string, body: Buffer | null) => {
    const transport = url.protocol === 'https:' ? https : http;
    const headers = { ...spec.headers };
    if (body) headers['Content-Length'] = String(body.length);
    else for (const k of Object.keys(headers)) if (/^content-/i.test(k)) delete headers[k];
    req = transport.request(url, { method, headers }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      // Redirects are followed like the phone's network stack does (303 and POST 301/302 → GET).
      if ([301, 302, 303, 307, 308].includes(status) && location && redirects < MAX_REDIRECTS) {
        redirects++;
        res.resume();
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          finish(new WxFailure('net::ERR_INVALID_REDIRECT'));
          return;
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          finish(new WxFailure('net::ERR_UNSAFE_REDIRECT'));
          return;
        }
        const toGet = status === 303 || ((status === 301 || status === 302) && method === 'POST');
        send(next, toGet ? 'GET' : method, toGet ? null : body);
        return;
      }
      const { header, cookies } = headersOf(res);
      spec.onHeaders?.(res.statusCode ?? 0, header, cookies);
      const expected = Number(res.headers['content-length'] ?? -1);
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk);
        received += chunk.length;
        spec.onChunk?.(chunk, received, expected);
      });
      res.on('end', () => {
        if (!res.complete) return; // a reset mid-body also ends the stream: reported by 'aborted'
        let decoded: Buffer;
        try {
          decoded = decodeBody(Buffer.concat(chunks), res.headers['content-encoding']);
        } catch {
          finish(new WxFailure('net::ERR_CONTENT_DECODING_FAILED'));
          return;
        }
        finish(null, { statusCode: status, header, cookies, body: decoded });
      });
      res.on('aborted', () => finish(new WxFailure('net::ERR_CONNECTION_RESET')));
      res.on('error', (error) => finish(new WxFailure(netErrorReason(error))));
      res.on('close', () => {
        if (!res.complete) finish(new WxFailure('net::ERR_CONNECTION_RESET'));
      });
    });
    req.on('error', (error) => finish(new WxFailure(netErrorReason(error))));
    if (!body || body.length === 0) {
      req.end();
      return;
    }
    let sent = 0;
    const writeNext = () => {
      if (settled || !req) return;
      if (sent >= body.length) {
        req.end();
        return;
      }
      const chunk = body.subarray(sent, sent + UPLOAD_CHUNK);
      req.write(chunk, (error) => {
        if (error || settled) return;
        sent += chunk.length;
        spec.onUploadProgress?.(sent, body.length);
        writeNext();
      });
    };
    writeNext();
  };

  void slot.ready.then(async (releaseSlot) => {
    release = releaseSlot;
    if (settled) {
      releaseSlot();
      return;
    }
    timer = setTimeout(() => finish(new WxFailure('timeout')), spec.timeoutMs);
    await network.delay();
    if (settled) return;
    const blocked = network.blockedReason();
    if (blocked) {
      finish(new WxFailure(blocked));
      return;
    }
    untrack = network.track({ interrupt: (reason) => finish(new WxFailure(reason)) });
    try {
      send(spec.url, spec.method, spec.body);
    } catch (error) {
      finish(new WxFailure(netErrorReason(error)));
    }
  });

  return { done, abort: () => finish(new WxFailure('abort')) };
}
