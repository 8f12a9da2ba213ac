import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { Envelope, LoginReply } from '../../typings/api';
import { startServer, type RunningServer } from '../../server/src/app';
import type { Clock, ServerOptionsInput } from '../../server/src/config';

const createdDirs: string[] = [];
// Registered at the top level of every test file that imports the helpers: its data dirs go
// once the file is done (servers are closed by the file's own afterAll, declared earlier).
afterAll(() => {
  for (const dir of createdDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-test-'));
  createdDirs.push(dir);
  return dir;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Defaults for tests: silent logs, a small seed, a fresh data dir. */
export function testOptions(input: ServerOptionsInput = {}): ServerOptionsInput {
  return { dataDir: tempDataDir(), logLevel: 'silent', port: 0, ...input };
}

export async function running(input: ServerOptionsInput = {}): Promise<RunningServer> {
  return startServer(testOptions(input));
}

export interface CallOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as-is. */
  payload?: unknown;
}

export interface CallResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  raw: Buffer;
}

/** One real HTTP request over loopback (keep-alive off so servers close promptly). */
export function request(server: { url: string }, options: CallOptions): Promise<CallResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let data: Buffer | undefined;
  if (Buffer.isBuffer(options.payload)) data = options.payload;
  else if (typeof options.payload === 'string') data = Buffer.from(options.payload);
  else if (options.payload !== undefined) {
    data = Buffer.from(JSON.stringify(options.payload));
    headers['content-type'] ??= 'application/json';
  }
  if (data) headers['content-length'] = String(data.length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(options.url, server.url),
      { method: options.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body: raw.toString('utf8'),
            raw,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export async function call<T = unknown>(
  server: { url: string },
  options: CallOptions,
): Promise<{ res: CallResponse; body: Envelope<T> }> {
  const res = await request(server, options);
  let body: Envelope<T>;
  try {
    body = JSON.parse(res.body) as Envelope<T>;
  } catch {
    body = { success: false, traceId: '', errorMessage: `not JSON: ${res.body.slice(0, 80)}` };
  }
  return { res, body };
}

export async function login(server: { url: string }, userKey = 'alice'): Promise<LoginReply> {
  const { res, body } = await call<LoginReply>(server, {
    method: 'POST',
    url: '/api/auth/login',
    payload: { code: `dev-${userKey}-${Math.random().toString(36).slice(2)}` },
  });
  if (res.statusCode !== 200 || !body.data) throw new Error(`login failed: ${res.body}`);
  return body.data;
}

export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});

/** A real (tiny) PNG: 1×1 pixel. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A multipart/form-data body as wx.uploadFile sends it. */
export function multipart(
  parts: Array<{ name: string; filename?: string; contentType?: string; data: Buffer | string }>,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----test${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
