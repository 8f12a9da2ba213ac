import WebSocket from 'ws';
import type { ChatHistory, ChatServerFrame } from '../../typings/api';
import type { DevStats } from '../../typings/dev';
import type { RunningServer } from '../../server/src/app';
import { ChatClient } from './chat-client';
import { startServer } from '../../server/src/app';
import { openDatabase } from '../../server/src/db/database';
import { sqliteRepositories } from '../../server/src/repositories/sqlite';
import { ManualClock, bearer, call, login, running, tempDataDir, testOptions } from './helpers';

const isMessage = (text: string) => (f: ChatServerFrame) => f.type === 'message' && f.text === text;

describe('chat over /ws/chat', () => {
  let server: RunningServer;
  const clients: ChatClient[] = [];
  const connect = (options: Parameters<typeof ChatClient.connect>[1]) => {
    const client = ChatClient.connect(server.url, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await running({ chat: { burst: 1000, framesPerSecond: 1000 } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => server.close());

  it('authenticates by header or ?token= and says hello', async () => {
    const { token, user } = await login(server, 'alice');
    const byHeader = await connect({ token }).ready();
    const byQuery = await connect({ query: `?token=${token}` }).ready();
    for (const client of [byHeader, byQuery]) {
      const hello = await client.next((f) => f.type === 'hello', 'hello');
      expect(hello.user).toEqual({ id: user.id, nickname: user.nickname });
    }
    byHeader.send({ type: 'hello', lastId: 0, reqId: 'h1' });
    const answer = await byHeader.next((f) => f.type === 'hello' && f.reqId === 'h1', 'hello');
    expect(typeof answer.lastId).toBe('number');
  });

  it('closes with 4401 for a missing or bad token', async () => {
    expect(await connect({}).closed).toEqual({ code: 4401, reason: 'unauthorized' });
    expect(await connect({ token: 'not-a-real-token-at-all' }).closed).toEqual({
      code: 4401,
      reason: 'unauthorized',
    });
  });

  it('acks, broadcasts once with increasing ids, and dedupes a re-sent clientId', async () => {
    const alice = await connect({ token: (await login(server, 'alice')).token }).ready();
    const bob = await connect({ token: (await login(server, 'bob')).token }).ready();
    alice.send({ type: 'send', clientId: 'c-1', text: 'first', reqId: 'r1' });
    const ack = await alice.next((f) => f.type === 'ack' && f.clientId === 'c-1', 'ack');
    expect(ack.reqId).toBe('r1');
    const received = await bob.next(isMessage('first'), 'message');
    expect(received).toMatchObject({ id: ack.id, from: { id: 'alice' }, clientId: 'c-1' });

    alice.send({ type: 'send', clientId: 'c-1', text: 'first' });
    alice.send({ type: 'send', clientId: 'c-2', text: 'second' });
    const second = await bob.next(isMessage('second'), 'message');
    expect(second.id).toBeGreaterThan(ack.id);
    await alice.flush();
    expect(alice.count((f) => f.type === 'ack' && f.clientId === 'c-1')).toBe(2);
    expect(
      new Set(
        alice.frames
          .filter((f) => f.type === 'ack' && f.clientId === 'c-1')
          .map((f) => (f as { id: number }).id),
      ).size,
    ).toBe(1);
    expect(bob.count(isMessage('first'))).toBe(1);
    expect(alice.count(isMessage('first'))).toBe(1);
    const stats = await call<DevStats>(server, { method: 'GET', url: '/__dev/stats' });
    expect(stats.body.data!.chatMessages).toBe(2);
  });

  it('sync returns what was missed, in order and bounded', async () => {
    const { token } = await login(server, 'carol');
    const carol = await connect({ token }).ready();
    const hello = await carol.next((f) => f.type === 'hello', 'hello');
    for (let i = 0; i < 5; i++) carol.send({ type: 'send', clientId: `s-${i}`, text: `m${i}` });
    await carol.next((f) => f.type === 'ack' && f.clientId === 's-4');
    carol.send({ type: 'sync', sinceId: hello.lastId, limit: 3, reqId: 'sync1' });
    const page = await carol.next((f) => f.type === 'sync' && f.reqId === 'sync1', 'sync');
    expect(page.messages.map((m) => m.text)).toEqual(['m0', 'm1', 'm2']);
    expect(page.hasMore).toBe(true);
    const ids = page.messages.map((m) => m.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    carol.send({ type: 'sync', sinceId: ids[2], reqId: 'sync2' });
    const rest = await carol.next((f) => f.type === 'sync' && f.reqId === 'sync2', 'sync');
    expect(rest.messages.map((m) => m.text)).toEqual(['m3', 'm4']);
    expect(rest.hasMore).toBe(false);
  });

  it('answers malformed frames with an error frame and keeps the connection', async () => {
    const client = await connect({ token: (await login(server, 'dan')).token }).ready();
    const bad: unknown[] = [
      'not json {',
      '[1,2]',
      { type: 'dance' },
      { type: 'send', clientId: 'x' },
      { type: 'send', clientId: 'has spaces', text: 'hi' },
      { type: 'send', clientId: 'long', text: 'x'.repeat(2001) },
      { type: 'sync', sinceId: -1 },
    ];
    for (const frame of bad) client.send(frame);
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.flush();
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors).toHaveLength(bad.length + 1);
    expect(errors.find((e) => e.type === 'error' && e.clientId === 'long')?.message).toMatch(
      /2000/,
    );
    client.send({ type: 'ping', t: 42, reqId: 'p' });
    expect(await client.next((f) => f.type === 'pong' && f.reqId === 'p', 'pong')).toMatchObject({
      t: 42,
    });
  });

  it('answers an oversized frame with an error frame', async () => {
    const client = await connect({ token: (await login(server, 'erin')).token }).ready();
    client.send({ type: 'send', clientId: 'big', text: 'y'.repeat(20_000) });
    const error = await client.next((f) => f.type === 'error', 'error');
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    await client.flush();
  });

  it('GET /api/chat/messages pages history newest-first windows in ascending order', async () => {
    const { token } = await login(server, 'hist');
    const client = await connect({ token }).ready();
    for (let i = 0; i < 4; i++) client.send({ type: 'send', clientId: `h-${i}`, text: `hist${i}` });
    const last = await client.next((f) => f.type === 'ack' && f.clientId === 'h-3', 'ack');
    const { body } = await call<ChatHistory>(server, {
      method: 'GET',
      url: `/api/chat/messages?beforeId=${last.id + 1}&limit=2`,
      headers: bearer(token),
    });
    expect(body.data!.messages.map((m) => m.text)).toEqual(['hist2', 'hist3']);
    expect(body.data!.hasMore).toBe(true);
    const bad = await call(server, {
      method: 'GET',
      url: '/api/chat/messages?limit=1000',
      headers: bearer(token),
    });
    expect(bad.res.statusCode).toBe(400);
    const anonymous = await call(server, { method: 'GET', url: '/api/chat/messages' });
    expect(anonymous.res.statusCode).toBe(401);
  });

  it('logout closes the sockets opened with that token (4401), not those of other sessions', async () => {
    const first = await login(server, 'leaver');
    const second = await login(server, 'leaver');
    const leaving = await connect({ token: first.token }).ready();
    const staying = await connect({ token: second.token }).ready();
    const out = await call(server, {
      method: 'POST',
      url: '/api/auth/logout',
      headers: bearer(first.token),
    });
    expect(out.res.statusCode).toBe(200);
    expect(await leaving.closed).toEqual({ code: 4401, reason: 'logged out' });
    await staying.flush();
    expect(staying.socket.readyState).toBe(staying.socket.OPEN);
  });

  it('POST /__dev/chat/drop closes every socket with 1012', async () => {
    const client = await connect({ token: (await login(server, 'drop')).token }).ready();
    await call(server, { method: 'POST', url: '/__dev/chat/drop' });
    expect((await client.closed).code).toBe(1012);
  });
});

describe('chat limits and expiry', () => {
  it('rate-limits each connection with an error frame, connection kept', async () => {
    const server = await running({ chat: { burst: 3, framesPerSecond: 0.001 } });
    const client = ChatClient.connect(server.url, { token: (await login(server)).token });
    try {
      await client.ready();
      for (let i = 0; i < 4; i++) client.send({ type: 'send', clientId: `r-${i}`, text: `x${i}` });
      const limited = await client.next((f) => f.type === 'error', 'error');
      expect(limited).toMatchObject({ code: 'RATE_LIMITED', clientId: 'r-3' });
      expect(client.count((f) => f.type === 'ack')).toBe(3);
      expect(client.socket.readyState).toBe(client.socket.OPEN);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('limits connection attempts per address: 429 before the upgrade, open sockets kept', async () => {
    const server = await running({ chatConnectRateLimit: { max: 2, windowMs: 60_000 } });
    const { token } = await login(server);
    const accepted = [0, 1].map(() => ChatClient.connect(server.url, { token }));
    try {
      await Promise.all(accepted.map((c) => c.ready()));
      // Wrong tokens count too: refusing them costs a lookup each.
      const refused = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
        const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/chat?token=x`);
        socket.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode, body }));
        });
        socket.on('error', () => undefined);
        socket.on('open', () => reject(new Error('the third attempt was upgraded')));
      });
      expect(refused.status).toBe(429);
      expect(JSON.parse(refused.body)).toMatchObject({ success: false, errorCode: 'RATE_LIMITED' });
      for (const client of accepted) {
        expect(client.socket.readyState).toBe(client.socket.OPEN);
        await client.flush();
      }
    } finally {
      await Promise.all(accepted.map((c) => c.close()));
      await server.close();
    }
  });

  it('a frame over the hard payload cap closes that socket with 1009, others unaffected', async () => {
    const server = await running({ chat: { maxPayloadBytes: 16 * 1024 } });
    const { token } = await login(server);
    const flooder = ChatClient.connect(server.url, { token });
    const bystander = ChatClient.connect(server.url, { token });
    try {
      await Promise.all([flooder.ready(), bystander.ready()]);
      flooder.send({ type: 'send', clientId: 'huge', text: 'z'.repeat(20 * 1024) });
      expect((await flooder.closed).code).toBe(1009);
      await bystander.flush();
      expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
    } finally {
      await bystander.close();
      await server.close();
    }
  });

  it('buffers frames sent before the token is checked up to the burst, then closes 1008', async () => {
    const repositories = sqliteRepositories(openDatabase(tempDataDir()));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let gated = false;
    const server = await startServer(testOptions({ chat: { burst: 3 } }), {
      repositories: {
        ...repositories,
        sessions: {
          ...repositories.sessions,
          findWithUser: async (tokenHash) => {
            if (gated) await gate;
            return repositories.sessions.findWithUser(tokenHash);
          },
        },
      },
    });
    try {
      const { token } = await login(server);
      gated = true;
      const within = ChatClient.connect(server.url, { token });
      const beyond = ChatClient.connect(server.url, { token });
      await Promise.all(
        [within, beyond].map((c) => new Promise((resolve) => c.socket.once('open', resolve))),
      );
      for (let i = 0; i < 3; i++) within.send({ type: 'ping', reqId: `w${i}` });
      for (let i = 0; i < 4; i++) beyond.send({ type: 'ping', reqId: `b${i}` });
      expect(await beyond.closed).toEqual({
        code: 1008,
        reason: 'too many frames before authentication',
      });
      release();
      await within.next((f) => f.type === 'pong' && f.reqId === 'w2');
      expect(within.frames.filter((f) => f.type === 'pong').map((f) => f.reqId)).toEqual([
        'w0',
        'w1',
        'w2',
      ]);
      await within.close();
    } finally {
      release();
      await server.close();
    }
  });

  it('an expired token closes with 4401 "session expired"', async () => {
    const clock = new ManualClock();
    const server = await running({ clock, tokenTtlMs: 1000 });
    try {
      const { token } = await login(server);
      clock.advance(1001);
      const client = ChatClient.connect(server.url, { token });
      expect(await client.closed).toEqual({ code: 4401, reason: 'session expired' });
    } finally {
      await server.close();
    }
  });

  it('persists messages across a restart', async () => {
    const first = await running();
    const dataDir = first.context.options.dataDir;
    const client = ChatClient.connect(first.url, { token: (await login(first)).token });
    await client.ready();
    client.send({ type: 'send', clientId: 'keep', text: 'survives' });
    await client.next((f) => f.type === 'ack');
    await first.close();
    expect((await client.closed).code).toBe(1001);
    const second = await running({ dataDir });
    try {
      const { body } = await call<ChatHistory>(second, {
        method: 'GET',
        url: '/api/chat/messages',
        headers: bearer((await login(second)).token),
      });
      expect(body.data!.messages.map((m) => m.text)).toContain('survives');
    } finally {
      await second.close();
    }
  });
});
