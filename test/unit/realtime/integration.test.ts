/**
 * The realtime modules wired to the real request stack (HttpClient, SessionManager, Scheduler)
 * on the fake wx: the outbox's Idempotency-Key reaches the server and replays apply once, chunks
 * travel as octet-stream ArrayBuffers, and the chat socket authenticates with the real session.
 */
import type { HttpRequestOptions } from '../../../miniprogram/utils/contracts';
import { AppError } from '../../../miniprogram/utils/errors';
import { ChunkedUploader, MIN_CHUNK_SIZE } from '../../../miniprogram/utils/chunked-upload';
import { ConnectivityStore } from '../../../miniprogram/utils/network';
import { MutationOutbox } from '../../../miniprogram/utils/outbox';
import { ChatSocket } from '../../../miniprogram/utils/socket';
import { Scheduler } from '../../../miniprogram/utils/scheduler';
import { SocketSlotRegistry } from '../../../miniprogram/utils/socket-slots';
import { sha256Hex } from '../../../miniprogram/utils/sha256';
import type { FileWx, NetworkWx, SocketWx } from '../../../miniprogram/utils/wx-ports';
import { wxStorage } from '../../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../fake-wx';
import { createFilesFamily } from '../fake-wx/files';
import { createSocketFamily } from '../fake-wx/socket';
import { envelope, setup } from '../utils/helpers';
import { createChunkServer } from './chunk-server';

function connectivityOf(fake: ReturnType<typeof createFakeWx>) {
  const connectivity = new ConnectivityStore({ wx: fake.wx as unknown as NetworkWx });
  connectivity.start();
  return connectivity;
}

describe('realtime modules on the real request stack', () => {
  it('the scheduler holds offline:queue tasks while the connectivity store says offline', async () => {
    const fake = createFakeWx();
    const connectivity = connectivityOf(fake);
    await Promise.resolve();
    const scheduler = new Scheduler({ connectivity });
    fake.network.set('none');
    let ran = false;
    const held = scheduler.schedule(
      async () => {
        ran = true;
        return 'done';
      },
      { offline: 'queue' },
    );
    await expect(scheduler.schedule(async () => 'x', { offline: 'fail' })).rejects.toMatchObject({
      kind: 'offline',
    });
    await Promise.resolve();
    expect(ran).toBe(false);
    fake.network.set('wifi');
    await expect(held).resolves.toBe('done');
  });

  it('HttpClient stretches timeouts while the store reports a weak network', async () => {
    const fake = createFakeWx();
    const connectivity = connectivityOf(fake);
    const { client } = setup({ connectivity, session: false, timeout: 1000 }, fake);
    fake.server.ok('GET', '/api/x', 1);
    await client.get('/api/x');
    fake.network.set('3g');
    await client.get('/api/x');
    fake.network.set('wifi');
    connectivity.reportLatency(5000); // measured by the monitor
    await client.get('/api/x');
    const [normal, weakType, weakLatency] = fake.server.log.map((r) => r.timeout ?? 0);
    // The transport adds its own margin on top; the client's timeout doubled on a weak network.
    expect(weakType - normal).toBe(1000);
    expect(weakLatency).toBe(weakType);
    expect(connectivity.weak).toBe(true);
  });

  it('outbox replays through HttpClient with one Idempotency-Key, applied exactly once', async () => {
    const fake = createFakeWx();
    const connectivity = connectivityOf(fake);
    const { client } = setup({ connectivity, errorPolicy: false }, fake);
    const applied = new Map<string, number>();
    let dropNextReply = true;
    fake.server.on('POST', '/api/favorites', (request) => {
      const key = request.header['Idempotency-Key'];
      if (!key)
        return { status: 400, data: { success: false, errorCode: 'BAD_REQUEST', traceId: 't' } };
      applied.set(key, (applied.get(key) ?? 0) + 1);
      if (dropNextReply) {
        dropNextReply = false;
        return { fail: 'request:fail interrupted' }; // applied, but the reply is lost
      }
      return { data: envelope({ productId: (request.data as { productId: string }).productId }) };
    });
    const outbox = new MutationOutbox({
      http: client,
      connectivity,
      storage: wxStorage(fake.wx),
      backoff: { baseMs: 1, capMs: 2, random: () => 0.5 },
    });
    outbox.start();
    await Promise.resolve();
    fake.network.set('none');
    const queued = await outbox.submit({
      method: 'POST',
      url: '/api/favorites',
      data: { productId: 'p1' },
    });
    expect(queued.state).toBe('queued');
    fake.network.set('wifi');
    for (let i = 0; i < 50 && outbox.items[0]?.state !== 'sent'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(outbox.items[0].state).toBe('sent');
    const requests = fake.server.log.filter((r) => r.path === '/api/favorites');
    expect(new Set(requests.map((r) => r.header['Idempotency-Key']))).toEqual(new Set([queued.id]));
    // However many times the request arrived (client retries + outbox replay), one key.
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect([...applied.keys()]).toEqual([queued.id]);
    outbox.dispose();
  });

  it('request({ outbox: true }) sends now online, persists offline and replays once with its key', async () => {
    const fake = createFakeWx();
    const connectivity = connectivityOf(fake);
    const { client } = setup({ connectivity, errorPolicy: false }, fake);
    fake.server.on('POST', '/api/favorites', (request) => ({
      data: envelope({ productId: (request.data as { productId: string }).productId }),
    }));
    const favorite = (productId: string) =>
      client.request<{ productId: string }>({
        method: 'POST',
        url: '/api/favorites',
        data: { productId },
        outbox: true,
      });
    await expect(favorite('p0')).rejects.toMatchObject({
      kind: 'parse',
      message: expect.stringContaining('attachOutbox'),
    });
    const outbox = new MutationOutbox({ http: client, connectivity, storage: wxStorage(fake.wx) });
    client.attachOutbox(outbox);
    outbox.start();
    await Promise.resolve();

    const sent = await favorite('p1');
    expect(sent).toMatchObject({ state: 'sent', data: { productId: 'p1' } });

    fake.network.set('none');
    const queued = await favorite('p2');
    expect(queued.state).toBe('queued');
    // Persisted before anything was sent: a restart would replay it.
    expect(JSON.stringify(fake.storage.raw.get('net.outbox'))).toContain(queued.id);
    expect(fake.server.log.filter((r) => r.path === '/api/favorites')).toHaveLength(1);

    fake.network.set('wifi');
    for (let i = 0; i < 50 && outbox.items.some((item) => item.state !== 'sent'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const posts = fake.server.log.filter((r) => r.path === '/api/favorites');
    expect(posts.map((r) => r.header['Idempotency-Key'])).toEqual([sent.id, queued.id]);
    expect(posts.map((r) => (r.data as { productId: string }).productId)).toEqual(['p1', 'p2']);
    outbox.dispose();
  });

  it('a 4xx through HttpClient fails the outbox item without retries', async () => {
    const fake = createFakeWx();
    const connectivity = connectivityOf(fake);
    const { client } = setup({ connectivity, errorPolicy: false }, fake);
    fake.server.on('POST', '/api/favorites', {
      status: 404,
      data: {
        success: false,
        errorCode: 'NOT_FOUND',
        errorMessage: 'no such product',
        traceId: 't',
      },
    });
    const outbox = new MutationOutbox({ http: client, connectivity, storage: wxStorage(fake.wx) });
    await expect(
      outbox.submit({ method: 'POST', url: '/api/favorites', data: { productId: 'nope' } }),
    ).rejects.toBeInstanceOf(AppError);
    expect(fake.server.log.filter((r) => r.path === '/api/favorites')).toHaveLength(1);
  });

  it('chunked upload sends ArrayBuffer chunks as application/octet-stream through HttpClient', async () => {
    const fake = createFakeWx();
    const files = fake.extend('files', createFilesFamily(fake.context));
    const bytes = files.addFile('wxfile://usr/a.bin', MIN_CHUNK_SIZE * 2 + 5);
    const { client } = setup({ errorPolicy: false }, fake);
    const chunkServer = createChunkServer();
    fake.server.on('*', '/api/uploads/chunked*', async (request) => {
      const options: HttpRequestOptions = {
        method: request.method as HttpRequestOptions['method'],
        url: request.path,
        data: request.data,
        header: { 'Content-Type': request.header['Content-Type'] },
      };
      try {
        return { data: envelope(await chunkServer.request(options)) };
      } catch (error) {
        const status = (error as AppError).status ?? 500;
        return { status, data: { success: false, errorCode: 'BAD_REQUEST', traceId: 't' } };
      }
    });
    const uploader = new ChunkedUploader({
      http: client,
      wx: fake.wx as unknown as FileWx,
      storage: wxStorage(fake.wx),
      chunkSize: MIN_CHUNK_SIZE,
    });
    const file = await uploader.upload('wxfile://usr/a.bin');
    expect(file.sha256).toBe(sha256Hex(bytes));
    const puts = fake.server.log.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(3);
    expect(puts.every((r) => r.data instanceof ArrayBuffer)).toBe(true);
    expect(puts.every((r) => r.header['Content-Type'] === 'application/octet-stream')).toBe(true);
    expect(puts[0].header.Authorization).toMatch(/^Bearer tok-/);
  });

  it('a chunked upload that goes offline between chunks waits for the network, then finishes', async () => {
    const fake = createFakeWx();
    const files = fake.extend('files', createFilesFamily(fake.context));
    const bytes = files.addFile('wxfile://usr/b.bin', MIN_CHUNK_SIZE * 2 + 5);
    const connectivity = connectivityOf(fake);
    const { client } = setup({ errorPolicy: false, connectivity }, fake);
    const chunkServer = createChunkServer();
    fake.server.on('*', '/api/uploads/chunked*', async (request) => {
      const reply = await chunkServer.request({
        method: request.method as HttpRequestOptions['method'],
        url: request.path,
        data: request.data,
        header: { 'Content-Type': request.header['Content-Type'] },
      });
      // The first chunk is the last thing through before the phone drops off the network.
      if (request.path.endsWith('/chunks/0')) fake.network.set('none');
      return { data: envelope(reply) };
    });
    const uploader = new ChunkedUploader({
      http: client,
      wx: fake.wx as unknown as FileWx,
      storage: wxStorage(fake.wx),
      chunkSize: MIN_CHUNK_SIZE,
    });
    let done = false;
    const upload = uploader.upload('wxfile://usr/b.bin').then((file) => {
      done = true;
      return file;
    });
    for (let i = 0; i < 50 && connectivity.state.online; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(done).toBe(false);
    fake.network.set('wifi');
    expect((await upload).sha256).toBe(sha256Hex(bytes));
    expect(fake.server.log.filter((r) => r.method === 'PUT')).toHaveLength(3);
  });

  it('the chat socket authenticates with the SessionManager and re-logs in after 4401', async () => {
    const fake = createFakeWx();
    const sockets = fake.extend('sockets', createSocketFamily(fake.context));
    const { client } = setup({}, fake);
    const session = client.session;
    if (!session) throw new Error('the client has a session manager');
    const socket = new ChatSocket({
      url: 'wss://api.test/ws/chat',
      session,
      wx: fake.wx as unknown as SocketWx,
      storage: wxStorage(fake.wx),
      slots: new SocketSlotRegistry(),
      backoff: { baseMs: 1, capMs: 2 },
    });
    socket.connect();
    for (let i = 0; i < 50 && socket.status !== 'open'; i++)
      await new Promise((r) => setTimeout(r, 2));
    const firstToken = sockets.current?.header.Authorization;
    expect(firstToken).toMatch(/^Bearer tok-dev-/);
    sockets.server.refusedTokens.add((firstToken as string).slice('Bearer '.length));
    sockets.current?.drop(4401, 'session expired');
    for (let i = 0; i < 50 && sockets.connections.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 2));
    }
    for (let i = 0; i < 50 && socket.status !== 'open'; i++)
      await new Promise((r) => setTimeout(r, 2));
    expect(socket.status).toBe('open');
    expect(sockets.current?.header.Authorization).not.toBe(firstToken);
    expect(fake.auth.loginCalls).toBe(2);
    socket.dispose();
  });
});
