import * as fs from 'node:fs';
import * as http from 'node:http';
import * as zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type Harness,
  makeWx,
  settle,
  type Task,
  viaCallbacks,
  waitFor,
} from './fixtures/wx/harness';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let server: http.Server;
let base: string;
let h: Harness;
const seen: Seen[] = [];
let handler: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

function echo(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
  res.setHeader('X-Custom-Header', 'yes');
  res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2']);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ method: req.method, url: req.url, body: body.toString('utf8') }));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  handler = echo;
  h = makeWx();
});

afterEach(() => h.close());

function request(options: Record<string, unknown>) {
  const { returned, settled } = viaCallbacks(h.wx.request, options);
  return { task: returned as Task, settled };
}

describe('wx.request', () => {
  test('GET serialises data into the query and parses a JSON reply with headers and cookies', async () => {
    const { task, settled } = request({
      url: `${base}/items?x=0`,
      data: { a: 1, b: 'x y', c: { d: 2 } },
    });
    expect(typeof task.abort).toBe('function');
    const { ok, res } = await settled;
    expect(ok).toBe(true);
    expect(res.errMsg).toBe('request:ok');
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({
      method: 'GET',
      url: '/items?x=0&a=1&b=x%20y&c=%7B%22d%22%3A2%7D',
      body: '',
    });
    expect((res.header as Record<string, string>)['X-Custom-Header']).toBe('yes');
    expect(res.cookies).toEqual(['a=1; Path=/', 'b=2']);
    expect(seen[0].headers.referer).toBe(
      'https://servicewechat.com/wxtestappid/devtools/page-frame.html',
    );
  });

  test('POST sends an object as JSON with the default content-type and custom headers', async () => {
    const { res } = await request({
      url: `${base}/post`,
      method: 'post',
      header: { 'X-Token': 'abc', 'X-Num': 3, referer: 'https://evil.example/' },
      data: { hello: '世界' },
    }).settled;
    expect(res.errMsg).toBe('request:ok');
    expect(seen[0].method).toBe('POST');
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(seen[0].headers['x-token']).toBe('abc');
    expect(seen[0].headers['x-num']).toBe('3');
    expect(seen[0].headers.referer).toBe(
      'https://servicewechat.com/wxtestappid/devtools/page-frame.html',
    );
    expect(JSON.parse(seen[0].body.toString('utf8'))).toEqual({ hello: '世界' });
  });

  test('form-urlencoded objects are serialised as a query string body', async () => {
    await request({
      url: `${base}/form`,
      method: 'POST',
      header: { 'content-type': 'application/x-www-form-urlencoded' },
      data: { a: 'b c', n: 1 },
    }).settled;
    expect(seen[0].body.toString()).toBe('a=b%20c&n=1');
  });

  test('dataType other than json keeps text; a non-JSON body under json stays a string', async () => {
    handler = (_req, res) => res.end('{"a":1}');
    const asText = await request({ url: base, dataType: 'text' }).settled;
    expect(asText.res.data).toBe('{"a":1}');
    handler = (_req, res) => res.end('\uFEFFnot json');
    const notJson = await request({ url: base }).settled;
    expect(notJson.res.data).toBe('not json');
  });

  test('ArrayBuffer both ways: raw bytes out, responseType arraybuffer in', async () => {
    handler = (_req, res, body) => res.end(Buffer.concat([body, Buffer.from([255])]));
    const out = new Uint8Array([0, 1, 2, 254]).buffer;
    const { res } = await request({
      url: base,
      method: 'PUT',
      data: out,
      responseType: 'arraybuffer',
    }).settled;
    expect([...seen[0].body]).toEqual([0, 1, 2, 254]);
    expect(res.data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(res.data as ArrayBuffer)]).toEqual([0, 1, 2, 254, 255]);
  });

  test('an HTTP error status is still a success with that statusCode', async () => {
    handler = (_req, res) => {
      res.statusCode = 503;
      res.end('{"code":"DOWN"}');
    };
    const { ok, res } = await request({ url: base }).settled;
    expect(ok).toBe(true);
    expect(res.statusCode).toBe(503);
    expect(res.data).toEqual({ code: 'DOWN' });
  });

  test('timeout fails with request:fail timeout', async () => {
    handler = () => undefined; // never answers
    const { ok, res } = await request({ url: base, timeout: 80 }).settled;
    expect(ok).toBe(false);
    expect(res.errMsg).toBe('request:fail timeout');
  });

  test("without a timeout option, app.json's networkTimeout.request applies", async () => {
    handler = () => undefined;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wx-app-json-'));
    fs.mkdirSync(path.join(root, 'dist'));
    fs.writeFileSync(
      path.join(root, 'dist', 'app.json'),
      JSON.stringify({ pages: ['pages/index/index'], networkTimeout: { request: 300 } }),
    );
    const configured = makeWx({}, root);
    try {
      const started = Date.now();
      const { res } = await settle(configured.wx.request, { url: base });
      expect(res.errMsg).toBe('request:fail timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      configured.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('abort before and during the exchange fails with request:fail abort', async () => {
    const early = request({ url: base });
    early.task.abort();
    expect((await early.settled).res.errMsg).toBe('request:fail abort');

    let arrived!: () => void;
    const atServer = new Promise<void>((resolve) => (arrived = resolve));
    let closedAtServer!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closedAtServer = resolve));
    handler = (_req, res) => {
      res.on('close', closedAtServer);
      arrived();
    };
    const late = request({ url: base });
    await atServer;
    late.task.abort();
    expect((await late.settled).res.errMsg).toBe('request:fail abort');
    await serverSawClose;
  });

  test('onHeadersReceived fires before success; offHeadersReceived removes the listener', async () => {
    const heard: unknown[] = [];
    const removed = jest.fn();
    const { task, settled } = request({ url: base });
    task.onHeadersReceived((e: unknown) => heard.push(e));
    task.onHeadersReceived(removed);
    task.offHeadersReceived(removed);
    await settled;
    expect(heard).toHaveLength(1);
    expect((heard[0] as { statusCode: number }).statusCode).toBe(200);
    expect(removed).not.toHaveBeenCalled();
  });

  test('a refused port and a reset connection fail with net:: reasons', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await request({ url: `http://127.0.0.1:${port}/` }).settled;
    expect(refused.res.errMsg).toBe('request:fail net::ERR_CONNECTION_REFUSED');

    handler = (req) => req.socket.destroy();
    const reset = await request({ url: base }).settled;
    expect(reset.res.errMsg).toBe('request:fail net::ERR_CONNECTION_RESET');
  });

  test('bad input fails through the fail callback, never throws', async () => {
    expect((await request({ url: 'ftp://x/' }).settled).res.errMsg).toBe(
      'request:fail invalid url "ftp://x/"',
    );
    expect((await request({ url: 42 }).settled).res.errMsg).toBe(
      'request:fail parameter error: parameter.url should be String instead of Number;',
    );
  });

  test('at most 10 requests run at once; the rest queue and all complete', async () => {
    const held: http.ServerResponse[] = [];
    let active = 0;
    let maxActive = 0;
    let reachedTen!: () => void;
    const ten = new Promise<void>((resolve) => (reachedTen = resolve));
    handler = (_req, res) => {
      active++;
      maxActive = Math.max(maxActive, active);
      res.on('finish', () => active--);
      held.push(res);
      if (held.length === 10) reachedTen();
    };
    const calls = Array.from({ length: 12 }, (_, i) => request({ url: `${base}/${i}` }).settled);
    await ten;
    // The two queued calls must not reach the server while all 10 slots are held (a bounded
    // wait: an absence cannot be awaited as an event).
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(seen).toHaveLength(10);
    for (const res of held.splice(0)) res.end('1');
    await waitFor(() => held.length === 2);
    for (const res of held.splice(0)) res.end('2');
    const results = await Promise.all(calls);
    expect(results.every((r) => r.res.errMsg === 'request:ok')).toBe(true);
    expect(maxActive).toBe(10);
  });

  test('enableChunked streams the body to onChunkReceived as ArrayBuffers', async () => {
    handler = (_req, res) => {
      res.write('part1-');
      setTimeout(() => res.end('part2'), 10);
    };
    const chunks: string[] = [];
    const { task, settled } = request({ url: base, enableChunked: true, dataType: 'text' });
    task.onChunkReceived((e: { data: ArrayBuffer }) =>
      chunks.push(Buffer.from(new Uint8Array(e.data)).toString()),
    );
    const { res } = await settled;
    expect(chunks.join('')).toBe('part1-part2');
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(res.data).toBe('part1-part2');
  });

  test('redirects are followed (303 turns a POST into a GET); gzip bodies arrive decoded', async () => {
    handler = (req, res) => {
      if (req.url === '/old') {
        res.writeHead(303, { Location: '/new?x=1' });
        res.end();
      } else if (req.url === '/gz') {
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' });
        res.end(zlib.gzipSync(JSON.stringify({ zipped: true })));
      } else {
        echo(req, res, Buffer.alloc(0));
      }
    };
    const moved = await request({ url: `${base}/old`, method: 'POST', data: { a: 1 } }).settled;
    expect(moved.res.data).toMatchObject({ method: 'GET', url: '/new?x=1' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /old', 'GET /new?x=1']);
    const zipped = await request({ url: `${base}/gz` }).settled;
    expect(zipped.res.data).toEqual({ zipped: true });
  });

  test('request never returns a Promise (it returns a RequestTask)', async () => {
    const task = h.wx.request({ url: base }) as Task;
    expect(task).not.toBeInstanceOf(Promise);
    expect(typeof task.onHeadersReceived).toBe('function');
    // without callbacks the call still completes at the server
    await waitFor(() => seen.length === 1);
  });
});

describe('network conditions', () => {
  test('offline: calls fail, in-flight requests end, status listeners fire, type is none', async () => {
    const statuses: unknown[] = [];
    h.wx.onNetworkStatusChange((e: unknown) => statuses.push(e));
    let arrived!: () => void;
    const atServer = new Promise<void>((resolve) => (arrived = resolve));
    handler = () => arrived();
    const inflight = request({ url: base });
    await atServer;
    h.instance.controls.setNetwork({ online: false });
    expect((await inflight.settled).res.errMsg).toBe('request:fail net::ERR_INTERNET_DISCONNECTED');
    const fresh = await request({ url: base }).settled;
    expect(fresh.res.errMsg).toBe('request:fail net::ERR_INTERNET_DISCONNECTED');
    expect(seen).toHaveLength(1);
    const type = (await settle(h.wx.getNetworkType)).res;
    expect(type.networkType).toBe('none');

    h.instance.controls.setNetwork({ type: '4g' });
    expect(h.instance.controls.getNetwork()).toMatchObject({ online: true, type: '4g' });
    expect(statuses).toEqual([
      { isConnected: false, networkType: 'none' },
      { isConnected: true, networkType: '4g' },
    ]);
    handler = echo;
    expect((await request({ url: base }).settled).res.errMsg).toBe('request:ok');
  });

  test('hidden app: calls still running after 5 s fail with interrupted until it is shown', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      let arrived!: () => void;
      const atServer = new Promise<void>((resolve) => (arrived = resolve));
      handler = () => arrived();
      const inflight = request({ url: base });
      await atServer;
      h.instance.controls.setBackground(true);
      jest.advanceTimersByTime(4999);
      let settled = false;
      void inflight.settled.then(() => (settled = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      jest.advanceTimersByTime(1);
      expect((await inflight.settled).res.errMsg).toBe('request:fail interrupted');
      expect((await request({ url: base }).settled).res.errMsg).toBe('request:fail interrupted');
      h.instance.controls.setBackground(false);
      handler = echo;
      expect((await request({ url: base }).settled).res.errMsg).toBe('request:ok');
    } finally {
      jest.useRealTimers();
    }
  });

  test('after dispose (the simulator closed) calls fail with interrupted and reach no server', async () => {
    h.instance.dispose();
    expect((await request({ url: base }).settled).res.errMsg).toBe('request:fail interrupted');
    expect(seen).toEqual([]);
  });

  test('offNetworkStatusChange stops a listener; weak network fires onNetworkWeakChange', () => {
    const status = jest.fn();
    const weak = jest.fn();
    h.wx.onNetworkStatusChange(status);
    h.wx.offNetworkStatusChange(status);
    h.wx.onNetworkWeakChange(weak);
    h.instance.controls.setNetwork({ type: '2g', weak: true });
    expect(status).not.toHaveBeenCalled();
    expect(weak).toHaveBeenCalledWith({ weakNet: true, networkType: '2g' });
  });

  test('added latency delays every request', async () => {
    h.instance.controls.setNetwork({ latencyMs: 150 });
    const started = Date.now();
    const { res } = await request({ url: base }).settled;
    expect(res.errMsg).toBe('request:ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  test('invalid conditions are refused and nothing changes', () => {
    expect(() => h.instance.controls.setNetwork({ type: 'lte' as unknown as 'wifi' })).toThrow(
      /unknown network type/,
    );
    expect(() => h.instance.controls.setNetwork({ latencyMs: -1 })).toThrow(/latencyMs/);
    const loose = h.instance.controls.setNetwork as (patch: unknown) => unknown;
    expect(() => loose({ online: 'no' })).toThrow('online must be true or false, got no');
    expect(() => loose({ weak: 1 })).toThrow('weak must be true or false, got 1');
    expect(() => loose(null)).toThrow('setNetwork expects an object, got null');
    expect(h.instance.controls.getNetwork()).toEqual({
      online: true,
      type: 'wifi',
      latencyMs: 0,
      weak: false,
    });
  });
});
