import type { ChatMessage } from '../../../typings/api';
import { ConnectivityStore } from '../../../miniprogram/utils/network';
import { ChatSocket } from '../../../miniprogram/utils/socket';
import type { ChatAck, ChatSocketOptions, ChatStatus } from '../../../miniprogram/utils/socket';
import type { OutgoingMessage } from '../../../miniprogram/utils/socket-outbox';
import { SocketSlotRegistry } from '../../../miniprogram/utils/socket-slots';
import type { AppError } from '../../../miniprogram/utils/errors';
import type { NetworkWx, SocketWx } from '../../../miniprogram/utils/wx-ports';
import { wxStorage } from '../../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../fake-wx';
import { createSocketFamily } from '../fake-wx/socket';
import { createFakeSession } from './helpers';

function setup(overrides: Partial<ChatSocketOptions> = {}, shared?: ReturnType<typeof base>) {
  const env = shared ?? base();
  const socket = new ChatSocket({
    url: 'wss://api.test/ws/chat',
    session: env.session,
    connectivity: env.connectivity,
    wx: env.fake.wx as unknown as SocketWx,
    storage: wxStorage(env.fake.wx),
    slots: env.slots,
    backoff: { baseMs: 100, capMs: 1000, random: () => 0.5 },
    heartbeatIntervalMs: 1000,
    pongTimeoutMs: 500,
    ...overrides,
  });
  const messages: ChatMessage[] = [];
  const acks: ChatAck[] = [];
  const statuses: ChatStatus[] = [];
  const errors: AppError[] = [];
  const outbox: OutgoingMessage[] = [];
  socket.on('message', (m) => messages.push(m));
  socket.on('ack', (a) => acks.push(a));
  socket.on('status', (s) => statuses.push(s));
  socket.on('error', (e) => errors.push(e));
  socket.on('outbox', (o) => outbox.push(o));
  return { ...env, socket, messages, acks, statuses, errors, outbox };
}

function base() {
  const fake = createFakeWx();
  const sockets = fake.extend('sockets', createSocketFamily(fake.context));
  const connectivity = new ConnectivityStore({ wx: fake.wx as unknown as NetworkWx });
  connectivity.start();
  const session = createFakeSession();
  const slots = new SocketSlotRegistry();
  return { fake, sockets, connectivity, session, slots };
}

const tick = (ms = 1) => jest.advanceTimersByTimeAsync(ms);
const ids = (messages: ChatMessage[]) => messages.map((m) => m.id);

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('ChatSocket connection', () => {
  it('connects with the bearer token, says hello and reports open', async () => {
    const t = setup();
    t.socket.connect();
    t.socket.connect(); // idempotent
    await tick();
    expect(t.socket.status).toBe('open');
    expect(t.sockets.connections).toHaveLength(1);
    expect(t.sockets.current?.header.Authorization).toBe('Bearer tok-1');
    expect(t.sockets.current?.received[0]).toEqual({ type: 'hello' });
    expect(t.statuses).toEqual(['connecting', 'open']);
    // The server's hello sets the starting point; nothing before it is fetched.
    expect(t.socket.lastSeenId).toBe(0);
  });

  it('reconnects with exponential backoff and full jitter, capped', async () => {
    const t = setup({ backoff: { baseMs: 100, capMs: 400, random: () => 0.999 } });
    t.sockets.failNextConnects = 5;
    t.socket.connect();
    await tick();
    const times: number[] = [];
    let last = t.sockets.connections.length;
    for (let ms = 0; ms < 3000 && t.socket.status !== 'open'; ms++) {
      await tick(1);
      if (t.sockets.connections.length !== last) {
        last = t.sockets.connections.length;
        times.push(Date.now());
      }
    }
    expect(t.socket.status).toBe('open');
    const gaps = times.slice(1).map((time, i) => time - times[i]);
    // 0.999 * min(400, 100 * 2^n): 99, 199, 399, 399 (+1 ms of microtask ticks each)
    expect(gaps.map((g) => Math.round(g / 100))).toEqual([2, 4, 4, 4]);
    expect(t.socket.stats.reconnects).toBe(5);
  });

  it('stops after close(): no further attempts, listeners unregistered', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.sockets.current?.drop();
    t.socket.close();
    await tick(60_000);
    expect(t.sockets.connections).toHaveLength(1);
    expect(t.socket.status).toBe('closed');
    expect(t.sockets.current?.state).toBe('closed');
    expect(t.slots.used).toBe(0);
  });

  it('pauses while the app is hidden and resumes when shown', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.sockets.hide();
    expect(t.socket.status).toBe('paused');
    expect(t.sockets.current?.clientCloseCode).toBe(1000);
    await tick(60_000);
    expect(t.sockets.connections).toHaveLength(1);
    t.sockets.show();
    await tick();
    expect(t.socket.status).toBe('open');
    expect(t.sockets.connections).toHaveLength(2);
  });

  it('waits for the network instead of spinning while offline', async () => {
    const t = setup();
    t.fake.network.set('none');
    t.socket.connect();
    await tick(60_000);
    expect(t.socket.status).toBe('offline');
    expect(t.sockets.connections).toHaveLength(0);
    t.fake.network.set('wifi');
    await tick();
    expect(t.socket.status).toBe('open');
    // Going offline while open drops the connection at once and waits again.
    t.fake.network.set('none');
    expect(t.socket.status).toBe('offline');
    await tick(60_000);
    expect(t.sockets.connections).toHaveLength(1);
  });

  it('reconnects with the new token after a session refresh', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.session.refresh();
    await tick();
    expect(t.sockets.connections).toHaveLength(2);
    expect(t.sockets.connections[0].clientCloseCode).toBe(1000);
    expect(t.sockets.current?.header.Authorization).toBe('Bearer tok-2');
    // The same generation again is not a reason to reconnect.
    t.session.onChange(() => undefined)();
    await tick();
    expect(t.sockets.connections).toHaveLength(2);
  });

  it('on close code 4401 invalidates the session and reconnects with a new one', async () => {
    const t = setup();
    t.sockets.server.refusedTokens.add('tok-1');
    t.socket.connect();
    await tick(2000);
    expect(t.session.invalidated).toEqual([1]);
    expect(t.sockets.current?.header.Authorization).toBe('Bearer tok-2');
    expect(t.socket.status).toBe('open');
    expect(t.errors.some((e) => e.kind === 'auth')).toBe(true);
  });

  it('bounds 4401 retries, then waits for a new session', async () => {
    const t = setup({ maxAuthFailures: 2 });
    for (let i = 1; i < 10; i++) t.sockets.server.refusedTokens.add(`tok-${i}`);
    t.socket.connect();
    await tick(60_000);
    expect(t.socket.status).toBe('waiting-session');
    expect(t.sockets.connections).toHaveLength(3);
    t.sockets.server.refusedTokens.clear();
    t.session.refresh();
    await tick();
    expect(t.socket.status).toBe('open');
  });

  it('a connect after close starts fresh even if the app was hidden when closed', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.sockets.hide();
    t.socket.close();
    t.socket.connect();
    await tick();
    expect(t.socket.status).toBe('open');
  });

  it('waits for a session after logout and reconnects on login', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.session.logout();
    expect(t.socket.status).toBe('waiting-session');
    await tick(60_000);
    expect(t.sockets.connections).toHaveLength(1);
    t.session.refresh();
    await tick();
    expect(t.socket.status).toBe('open');
  });

  it('backs off when the login fails', async () => {
    const t = setup();
    t.session.failNextEnsure = 1;
    t.socket.connect();
    await tick();
    expect(t.socket.status).toBe('backoff');
    expect(t.errors[0].kind).toBe('auth');
    await tick(100);
    expect(t.socket.status).toBe('open');
  });

  it('abandons an attempt that does not open within the connect timeout', async () => {
    const t = setup({ connectTimeoutMs: 300 });
    t.sockets.autoOpen = false;
    t.socket.connect();
    await tick(300);
    expect(t.errors[0]).toMatchObject({ kind: 'timeout' });
    expect(t.sockets.connections[0].clientCloseCode).toBe(4000);
    t.sockets.autoOpen = true;
    await tick(1000);
    expect(t.socket.status).toBe('open');
  });

  it('survives connectSocket throwing and a socket error event', async () => {
    const t = setup();
    const wx = t.fake.wx as unknown as SocketWx;
    const original = wx.connectSocket.bind(wx);
    let throws = 1;
    wx.connectSocket = (options) => {
      if (throws-- > 0) throw new Error('boom');
      return original(options);
    };
    t.socket.connect();
    await tick(200);
    expect(t.errors[0].message).toBe('boom');
    expect(t.socket.status).toBe('open');
    expect(t.slots.used).toBe(1);
  });

  it('an app hide during the login does not leave a connection behind', async () => {
    const t = setup();
    t.socket.connect();
    t.sockets.hide();
    await tick(10_000);
    expect(t.sockets.connections).toHaveLength(0);
    expect(t.slots.used).toBe(0);
    t.sockets.show();
    await tick();
    expect(t.socket.status).toBe('open');
  });
});

describe('ChatSocket heartbeat', () => {
  it('declares a half-open connection dead when no pong comes, even without onClose', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    // A healthy connection survives many heartbeats.
    await tick(5000);
    expect(t.sockets.connections).toHaveLength(1);
    expect(
      t.sockets.current?.received.filter((f) => f.type === 'ping').length,
    ).toBeGreaterThanOrEqual(4);
    t.sockets.current?.halfOpen();
    await tick(1000 + 500);
    expect(t.socket.stats.heartbeatTimeouts).toBe(1);
    expect(t.sockets.connections[0].clientCloseCode).toBe(4000);
    await tick(200);
    expect(t.sockets.connections).toHaveLength(2);
    expect(t.socket.status).toBe('open');
  });

  it('does not time out when pongs arrive', async () => {
    const t = setup();
    t.socket.connect();
    await tick(20_000);
    expect(t.socket.stats.heartbeatTimeouts).toBe(0);
    t.sockets.server.answerPings = false;
    await tick(1600);
    expect(t.socket.stats.heartbeatTimeouts).toBe(1);
  });
});

describe('ChatSocket outgoing messages', () => {
  it('queues while disconnected, persists, sends in order on connect, sent only on ack', async () => {
    const t = setup();
    t.fake.network.set('none');
    t.socket.connect();
    const sent = ['one', 'two', 'three'].map((text) => t.socket.send(text));
    expect(new Set(sent.map((m) => m.clientId)).size).toBe(3);
    expect(t.socket.pending.map((m) => m.state)).toEqual(['queued', 'queued', 'queued']);
    expect(JSON.stringify(t.fake.storage.raw.get('chat.outbox'))).toContain('three');
    t.fake.network.set('wifi');
    await tick();
    const sends = t.sockets.current?.received.filter((f) => f.type === 'send') ?? [];
    expect(sends.map((f) => (f.type === 'send' ? f.text : ''))).toEqual(['one', 'two', 'three']);
    expect(t.acks.map((a) => a.clientId)).toEqual(sent.map((m) => m.clientId));
    expect(t.socket.pending).toEqual([]);
    expect(t.outbox.filter((o) => o.state === 'sending')).toHaveLength(3);
  });

  it('a queued message survives an app restart', async () => {
    const env = base();
    env.fake.network.set('none');
    const first = setup({}, env);
    first.socket.connect();
    const message = first.socket.send('from before the restart');
    first.socket.dispose();
    const second = setup({}, env);
    expect(second.socket.pending.map((m) => m.clientId)).toEqual([message.clientId]);
    env.fake.network.set('wifi');
    second.socket.connect();
    await tick();
    expect(second.acks.map((a) => a.clientId)).toEqual([message.clientId]);
    expect(env.sockets.server.applied.size).toBe(1);
  });

  it('a message whose ack was lost is resent and applied once, acked once', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.sockets.server.ackSends = false;
    t.sockets.server.echoToSender = false;
    const message = t.socket.send('hello');
    await tick();
    expect(t.socket.pending[0].state).toBe('sending');
    t.sockets.server.ackSends = true;
    t.sockets.current?.drop();
    await tick(1000);
    expect(t.sockets.server.applied.size).toBe(1);
    // Either the resend's ack or the sync's copy confirms it; exactly once.
    expect(t.acks.map((a) => a.clientId)).toEqual([message.clientId]);
    expect(t.socket.pending).toEqual([]);
  });

  it('fails a message after its age limit and lets the user retry it', async () => {
    const t = setup({ outbox: { maxAgeMs: 10_000 } });
    t.fake.network.set('none');
    t.socket.connect();
    const message = t.socket.send('late');
    await tick(10_000);
    expect(t.socket.pending[0]).toMatchObject({ state: 'failed', reason: 'expired' });
    expect(t.outbox[t.outbox.length - 1]).toMatchObject({
      clientId: message.clientId,
      state: 'failed',
    });
    t.fake.network.set('wifi');
    await tick();
    expect(t.acks).toEqual([]); // failed messages are not sent by themselves
    expect(t.socket.retry('unknown')).toBe(false);
    expect(t.socket.retry(message.clientId)).toBe(true);
    await tick();
    expect(t.acks.map((a) => a.clientId)).toEqual([message.clientId]);
  });

  it('a server refusal marks the message failed with the code; discard forgets it', async () => {
    const t = setup({ maxTextLength: 5000 });
    t.socket.connect();
    await tick();
    const message = t.socket.send('x'.repeat(2001));
    await tick();
    expect(t.socket.pending[0]).toMatchObject({ state: 'failed', reason: 'VALIDATION_FAILED' });
    expect(t.errors[t.errors.length - 1]).toMatchObject({
      kind: 'business',
      code: 'VALIDATION_FAILED',
    });
    // Retrying a refused message on the same connection writes it again.
    const sends = () => t.sockets.current?.received.filter((f) => f.type === 'send').length ?? 0;
    const before = sends();
    expect(t.socket.retry(message.clientId)).toBe(true);
    expect(sends()).toBe(before + 1);
    await tick();
    expect(t.socket.pending[0]).toMatchObject({ state: 'failed', reason: 'VALIDATION_FAILED' });
    expect(t.socket.discard(message.clientId)).toBe(true);
    expect(t.socket.discard(message.clientId)).toBe(false);
    expect(t.socket.pending).toEqual([]);
  });

  it('keeps at most maxInFlight messages unacked, sending more as acks arrive', async () => {
    const t = setup({ maxInFlight: 3, sendRate: false });
    t.socket.connect();
    await tick();
    t.sockets.server.ackSends = false;
    t.sockets.server.echoToSender = false;
    for (let i = 0; i < 7; i++) t.socket.send(`m${i}`);
    const sends = () => t.sockets.current?.received.filter((f) => f.type === 'send').length ?? 0;
    expect(sends()).toBe(3);
    t.sockets.server.ackSends = true;
    t.sockets.current?.drop(); // the resend after reconnect is acked: the window moves on
    await tick(500);
    expect(t.acks).toHaveLength(7);
    expect(t.sockets.server.applied.size).toBe(7);
  });

  it('paces a backlog under the server rate limit; a RATE_LIMITED refusal is retried, not failed', async () => {
    const t = setup({ sendRate: { perSecond: 10, burst: 2 }, refusalBackoffMs: 400 });
    t.fake.network.set('none');
    t.socket.connect();
    const sent = Array.from({ length: 6 }, (_, i) => t.socket.send(`m${i}`).clientId);
    t.fake.network.set('wifi');
    await tick();
    expect(t.acks).toHaveLength(2);
    await tick(100);
    expect(t.acks).toHaveLength(3);
    await tick(300);
    expect(t.acks.map((a) => a.clientId)).toEqual(sent);

    // A server stricter than the pacing refuses some sends: they wait and go again.
    const strict = setup({ sendRate: false, refusalBackoffMs: 400 });
    strict.sockets.server.rateLimit = { perSecond: 10, burst: 4 };
    strict.fake.network.set('none');
    strict.socket.connect();
    for (let i = 0; i < 8; i++) strict.socket.send(`m${i}`);
    strict.fake.network.set('wifi');
    await tick(10);
    expect(strict.sockets.server.rateLimited).toBeGreaterThan(0);
    expect(strict.socket.pending.some((m) => m.state === 'failed')).toBe(false);
    await tick(5000);
    expect(strict.acks).toHaveLength(8);
    expect(strict.socket.pending).toEqual([]);
    expect(strict.sockets.server.applied.size).toBe(8);
  });

  it('validates text and bounds the outbox', async () => {
    const t = setup({ outbox: { maxCount: 2, maxAgeMs: 1000 } });
    expect(() => t.socket.send('')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => t.socket.send('x'.repeat(2001))).toThrow(/1\.\.2000/);
    t.fake.network.set('none');
    t.socket.connect();
    const first = t.socket.send('a');
    t.socket.send('b');
    expect(() => t.socket.send('c')).toThrow(expect.objectContaining({ code: 'OUTBOX_FULL' }));
    await tick(1000);
    // Failed messages give way to new ones.
    t.socket.send('d');
    expect(t.socket.pending.map((m) => m.text)).toEqual(['b', 'd']);
    expect(t.socket.pending.some((m) => m.clientId === first.clientId)).toBe(false);
  });
});

describe('ChatSocket incoming messages', () => {
  it('shows every message exactly once across reconnects (sync from the last seen id)', async () => {
    const t = setup({ syncLimit: 3 });
    t.socket.connect();
    await tick();
    t.sockets.server.post('m1');
    t.sockets.server.post('m2');
    await tick();
    expect(ids(t.messages)).toEqual([1, 2]);
    t.sockets.current?.drop();
    for (let i = 3; i <= 9; i++) t.sockets.server.post(`m${i}`);
    await tick(1000);
    const syncs = t.sockets.current?.received.filter((f) => f.type === 'sync') ?? [];
    expect(syncs[0]).toMatchObject({ sinceId: 2 });
    expect(syncs.length).toBe(3); // paged by syncLimit
    t.sockets.server.post('m10');
    await tick();
    expect(ids(t.messages)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(t.socket.lastSeenId).toBe(10);
  });

  it('drops a message repeated by the server', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    const message = t.sockets.server.post('once');
    await tick();
    t.sockets.current?.push(JSON.stringify({ type: 'message', ...message }));
    await tick();
    expect(ids(t.messages)).toEqual([1]);
    expect(t.socket.stats.duplicates).toBe(1);
  });

  it('drops a live message that the catch-up sync returns again', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.sockets.server.post('m1');
    await tick();
    t.sockets.current?.drop();
    const m2 = t.sockets.server.post('m2');
    t.sockets.server.answerSyncs = false;
    await tick(200);
    const conn = t.sockets.current;
    const sync = conn?.received.find((f) => f.type === 'sync') as { reqId: string };
    // The live push of m2 overtakes the sync reply, which contains m2 as well.
    conn?.push(JSON.stringify({ type: 'message', ...m2 }));
    conn?.push(JSON.stringify({ type: 'sync', messages: [m2], hasMore: false, reqId: sync.reqId }));
    await tick();
    expect(ids(t.messages)).toEqual([1, 2]);
    expect(t.socket.stats.duplicates).toBe(1);
    expect(t.socket.lastSeenId).toBe(2);
  });

  it('starts over when the server room restarted below the last seen id', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.sockets.server.post('old 1');
    t.sockets.server.post('old 2');
    await tick();
    t.sockets.server.messages.length = 0; // the server lost its room
    t.sockets.current?.drop();
    await tick(200);
    expect(t.socket.lastSeenId).toBe(0);
    t.sockets.server.post('new 1');
    await tick();
    expect(t.messages.map((m) => m.text)).toEqual(['old 1', 'old 2', 'new 1']);
  });

  it('resumes from the persisted last id after an app restart', async () => {
    const env = base();
    const first = setup({}, env);
    first.socket.connect();
    await tick();
    env.sockets.server.post('before');
    await tick();
    first.socket.dispose();
    env.sockets.server.post('while closed');
    const second = setup({}, env);
    second.socket.connect();
    await tick();
    expect(second.messages.map((m) => m.text)).toEqual(['while closed']);
  });

  it('counts and drops malformed and unknown frames without crashing', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    const conn = t.sockets.current;
    for (const raw of [
      'not json',
      '[1,2]',
      'null',
      '{"type":"message","id":"x"}',
      '{"type":"ack","clientId":1}',
      '{"type":"pong","reqId":5}',
      '{"type":"sync","messages":[{}],"hasMore":false}',
      '{"type":"hello"}',
      '{"type":"error"}',
    ]) {
      conn?.push(raw);
    }
    conn?.push(new ArrayBuffer(4));
    conn?.push('{"type":"typing","who":"bob"}');
    await tick();
    expect(t.socket.stats.malformed).toBe(10);
    expect(t.socket.stats.unknownType).toBe(1);
    expect(t.errors.every((e) => e.kind === 'parse')).toBe(true);
    t.sockets.server.post('still alive');
    await tick();
    expect(t.messages.map((m) => m.text)).toEqual(['still alive']);
  });

  it('reports server error frames without a request', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    t.sockets.current?.push(
      JSON.stringify({ type: 'error', code: 'RATE_LIMITED', message: 'slow down' }),
    );
    await tick();
    expect(t.errors[0]).toMatchObject({ kind: 'business', code: 'RATE_LIMITED' });
  });

  it('ignores frames from a connection it has already replaced', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    const old = t.sockets.current;
    t.socket.reconnect();
    await tick();
    expect(t.sockets.connections).toHaveLength(2);
    // The old connection delivering late (after the client closed it) is ignored.
    (old as unknown as { state: string }).state = 'open';
    old?.push(
      JSON.stringify({
        type: 'message',
        id: 99,
        from: { id: 'x', nickname: 'x' },
        text: 'ghost',
        at: 1,
      }),
    );
    await tick();
    expect(t.messages).toEqual([]);
  });
});

describe('ChatSocket RPC', () => {
  it('correlates replies by reqId, times out, and rejects on disconnect', async () => {
    const t = setup({ rpcTimeoutMs: 300 });
    await expect(t.socket.request({ type: 'ping' })).rejects.toMatchObject({ kind: 'network' });
    t.socket.connect();
    await tick();
    const pong = t.socket.request({ type: 'ping', t: 7 });
    await tick();
    await expect(pong).resolves.toMatchObject({ type: 'pong', t: 7 });

    t.sockets.server.answerPings = false;
    const lost = t.socket.request({ type: 'ping' });
    const assertion = expect(lost).rejects.toMatchObject({ kind: 'timeout' });
    await tick(300);
    await assertion;

    const dropped = t.socket.request({ type: 'ping' });
    const droppedAssertion = expect(dropped).rejects.toMatchObject({ kind: 'network' });
    t.sockets.current?.drop();
    await tick();
    await droppedAssertion;
  });

  it('rejects with the server error frame that carries the reqId', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    const conn = t.sockets.current;
    const pending = t.socket.request({ type: 'sync', sinceId: 0 });
    const reqId = (conn?.received[conn.received.length - 1] as { reqId: string }).reqId;
    conn?.push(JSON.stringify({ type: 'error', code: 'BAD_REQUEST', message: 'no', reqId }));
    await expect(pending).rejects.toMatchObject({ kind: 'business', code: 'BAD_REQUEST' });
    expect(t.errors).toEqual([]);
  });
});

describe('ChatSocket limits and teardown', () => {
  it('never opens more than 5 sockets; the sixth waits for a free slot', async () => {
    const env = base();
    env.slots = new SocketSlotRegistry(5);
    const all = Array.from({ length: 6 }, () => setup({}, env));
    for (const t of all) t.socket.connect();
    await tick();
    expect(env.sockets.maxLive).toBe(5);
    expect(all[5].socket.status).toBe('waiting-slot');
    expect(all[5].errors[0]).toMatchObject({ code: 'SOCKET_LIMIT' });
    all[0].socket.close();
    await tick();
    expect(all[5].socket.status).toBe('open');
    expect(env.sockets.maxLive).toBe(5);
    for (const t of all) t.socket.dispose();
    expect(env.slots.used).toBe(0);
  });

  it('leaves no listener behind after dispose (wx, connectivity, session, events)', async () => {
    const t = setup();
    const before = { network: t.fake.network.listenerCount };
    const unsubscribe = t.socket.on('message', () => undefined);
    unsubscribe();
    t.socket.connect();
    await tick();
    expect(t.sockets.lifecycleListeners).toEqual({ show: 1, hide: 1 });
    expect(t.session.listenerCount).toBe(1);
    t.socket.dispose();
    t.socket.dispose();
    expect(t.sockets.lifecycleListeners).toEqual({ show: 0, hide: 0 });
    expect(t.session.listenerCount).toBe(0);
    expect(t.socket.listenerCount).toBe(0);
    expect(t.fake.network.listenerCount).toBe(before.network);
    // Connect/dispose cycles do not accumulate registrations.
    for (let i = 0; i < 5; i++) {
      t.socket.connect();
      t.socket.close();
    }
    expect(t.sockets.lifecycleListeners).toEqual({ show: 0, hide: 0 });
    expect(t.session.listenerCount).toBe(0);
  });

  it('a throwing listener does not break delivery to the others', async () => {
    const t = setup();
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    t.socket.on('message', () => {
      throw new Error('page bug');
    });
    t.socket.connect();
    await tick();
    t.sockets.server.post('x');
    await tick();
    expect(t.messages).toHaveLength(1);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('ChatSocket edges', () => {
  it('works with defaults: global wx, wx storage, the shared slot registry, no connectivity', async () => {
    const fake = createFakeWx();
    const sockets = fake.extend('sockets', createSocketFamily(fake.context));
    const restore = fake.installGlobal();
    try {
      const socket = new ChatSocket({
        url: 'wss://api.test/ws/chat',
        session: createFakeSession(),
      });
      socket.send('queued before connect');
      socket.connect();
      await tick();
      expect(socket.status).toBe('open');
      expect(fake.storage.raw.has('chat.outbox')).toBe(true);
      await tick(25_000);
      expect(sockets.current?.received.some((f) => f.type === 'ping')).toBe(true);
      sockets.server.answerPings = false;
      await tick(25_000 + 10_000);
      expect(socket.stats.heartbeatTimeouts).toBe(1);
      socket.dispose();
    } finally {
      restore();
    }
  });

  it('keeps the first missed-pong deadline when pings outpace the pong timeout', async () => {
    const t = setup({ heartbeatIntervalMs: 1000, pongTimeoutMs: 2500 });
    t.socket.connect();
    await tick();
    t.sockets.server.answerPings = false;
    await tick(3400);
    expect(t.socket.stats.heartbeatTimeouts).toBe(0);
    await tick(200);
    expect(t.socket.stats.heartbeatTimeouts).toBe(1);
  });

  it('forgets old ids beyond the de-duplication window but never re-shows below the watermark', async () => {
    const t = setup({ dedupeWindow: 2 });
    t.socket.connect();
    await tick();
    for (let i = 0; i < 4; i++) t.sockets.server.post(`m${i}`);
    await tick();
    const first = t.sockets.server.messages[0];
    t.sockets.current?.push(JSON.stringify({ type: 'message', ...first }));
    await tick();
    expect(ids(t.messages)).toEqual([1, 2, 3, 4]);
    expect(t.socket.stats.duplicates).toBe(1);
  });

  it('a sync that gets no answer is reported; the next connection syncs from the same id', async () => {
    const t = setup({ rpcTimeoutMs: 300 });
    t.socket.connect();
    await tick();
    t.sockets.server.post('a');
    await tick();
    t.sockets.server.answerSyncs = false;
    t.sockets.current?.drop();
    t.sockets.server.post('b');
    await tick(400);
    expect(t.errors.some((e) => e.kind === 'timeout')).toBe(true);
    t.sockets.server.answerSyncs = true;
    t.socket.reconnect();
    await tick();
    expect(t.messages.map((m) => m.text)).toEqual(['a', 'b']);
  });

  it('handles repeated acks, refusals of unknown messages and repeated show/hide', async () => {
    const t = setup();
    t.socket.connect();
    await tick();
    const message = t.socket.send('x');
    await tick();
    const ack = t.acks[0];
    t.sockets.current?.push(JSON.stringify({ type: 'ack', ...ack }));
    t.sockets.current?.push(
      JSON.stringify({ type: 'error', code: 'X', message: 'y', clientId: 'nobody' }),
    );
    await tick();
    expect(t.acks).toHaveLength(1);
    expect(message.clientId).toBe(ack.clientId);
    t.sockets.show(); // not hidden: nothing happens
    expect(t.sockets.connections).toHaveLength(1);
    t.sockets.hide();
    t.fake.network.set('none'); // offline while hidden stays paused
    expect(t.socket.status).toBe('paused');
    t.fake.network.set('wifi');
    t.socket.reconnect(); // started, nothing to drop
    t.sockets.show();
    await tick();
    expect(t.socket.status).toBe('open');
    t.socket.close();
    t.socket.reconnect(); // not started: ignored
    expect(t.socket.status).toBe('closed');
  });

  it('logout while disconnected, a refresh during the login, and a 4401 without reason', async () => {
    const t = setup();
    t.fake.network.set('none');
    t.socket.connect();
    t.session.logout();
    expect(t.socket.status).toBe('waiting-session');
    t.fake.network.set('wifi');
    t.session.refresh();
    t.session.refresh(); // a second change while the first attempt logs in is picked up by it
    await tick();
    expect(t.sockets.connections).toHaveLength(1);
    expect(t.sockets.current?.header.Authorization).toBe('Bearer tok-3');
    t.sockets.current?.drop(4401, '');
    await tick();
    expect(t.errors[t.errors.length - 1]).toMatchObject({ kind: 'auth', message: 'unauthorized' });
  });

  it('a socket whose send throws is dropped and reconnected; discard works while open', async () => {
    const t = setup();
    const wx = t.fake.wx as unknown as SocketWx;
    const original = wx.connectSocket.bind(wx);
    let breakNext = true;
    wx.connectSocket = (options) => {
      const task = original(options);
      if (breakNext) {
        breakNext = false;
        const send = task.send.bind(task);
        task.send = (o) => {
          if (o.data.includes('"send"')) throw new Error('send exploded');
          send(o);
        };
      }
      return task;
    };
    t.socket.connect();
    await tick();
    t.sockets.server.ackSends = false;
    t.sockets.server.echoToSender = false;
    const message = t.socket.send('boom');
    expect(t.errors[0].message).toBe('send exploded');
    await tick(200);
    expect(t.sockets.connections).toHaveLength(2);
    expect(t.socket.pending[0].state).toBe('sending');
    expect(t.socket.discard(message.clientId)).toBe(true);
  });

  it('turns non-Error login failures into AppErrors', async () => {
    const t = setup();
    const session = t.session;
    const ensure = session.ensure.bind(session);
    let calls = 0;
    session.ensure = () => (calls++ === 0 ? Promise.reject({ errMsg: 'login:fail' }) : ensure());
    t.socket.connect();
    await tick();
    expect(t.errors[0]).toMatchObject({ kind: 'auth', message: 'login:fail' });
    session.ensure = () => Promise.reject('plain');
    t.socket.reconnect();
    await tick();
    expect(t.errors[1]).toMatchObject({ message: 'plain' });
  });
});
