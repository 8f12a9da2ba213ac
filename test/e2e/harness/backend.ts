/**
 * The spec's side door into the backend: the /__dev fault-injection and counters API
 * (typings/dev.d.ts) and plain API calls as a second user (e.g. the other chat participant).
 */
import http from 'http';
import type { Envelope, FileInfo, LoginReply } from '../../../typings/api';
import type { DevStats, FaultRule } from '../../../typings/dev';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpReply> {
  const payload =
    options.body === undefined || Buffer.isBuffer(options.body)
      ? options.body
      : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent: false,
        timeout: 10_000,
        headers: {
          ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`timeout: ${url}`)));
    request.on('error', reject);
    request.end(payload);
  });
}

export class Backend {
  constructor(readonly origin: string) {}

  /** Calls an API route and returns its envelope's data; throws with the envelope's message. */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const reply = await httpRequest(this.origin + path, { method, body, headers });
    let envelope: Envelope<T>;
    try {
      envelope = JSON.parse(reply.body) as Envelope<T>;
    } catch {
      throw new Error(`${method} ${path}: ${reply.status} with a non-JSON body: ${reply.body}`);
    }
    if (reply.status >= 400 || !envelope.success) {
      throw new Error(
        `${method} ${path}: ${reply.status} ${envelope.errorCode}: ${envelope.errorMessage}`,
      );
    }
    return envelope.data as T;
  }

  addFault(rule: FaultRule): Promise<{ id: string }> {
    return this.call('POST', '/__dev/faults', rule);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/__dev/faults');
  }

  async expireSessions(): Promise<void> {
    await this.call('POST', '/__dev/sessions/expire', {});
  }

  async dropChatSockets(): Promise<void> {
    await this.call('POST', '/__dev/chat/drop', {});
  }

  stats(): Promise<DevStats> {
    return this.call('GET', '/__dev/stats');
  }

  async resetStats(): Promise<void> {
    await this.call('POST', '/__dev/reset', {});
  }

  /** Logs in as another simulated WeChat user (the dev provider maps `dev-<key>-<nonce>`). */
  login(userKey: string): Promise<LoginReply> {
    return this.call('POST', '/api/auth/login', { code: `dev-${userKey}-${Date.now()}` });
  }

  /** Uploads a file as `wx.uploadFile` would (multipart, field `file`) for the given user. */
  upload(token: string, filename: string, bytes: Buffer): Promise<FileInfo> {
    const boundary = `----e2e${Date.now().toString(16)}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.call<FileInfo>('POST', '/api/uploads', body, {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
  }

  /** Requests one route with the given user's token. */
  as<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, path, body, { authorization: `Bearer ${token}` });
  }
}

/** Sums a per-path counter over every path that starts with `prefix`. */
export function countFor(counter: Record<string, number>, prefix: string): number {
  return Object.entries(counter)
    .filter(([key]) => key.startsWith(prefix) || key.split(' ')[1]?.startsWith(prefix))
    .reduce((sum, [, n]) => sum + n, 0);
}
