import { CancelGroup, CancelSource } from '../../../miniprogram/utils/cancel';
import { AppError } from '../../../miniprogram/utils/errors';
import { createHttpClient } from '../../../miniprogram/utils/http';
import { setLocale } from '../../../miniprogram/utils/i18n';
import { TestConnectivity } from './fake-connectivity';
import { createFakeWx } from '../fake-wx';
import { BASE, envelope, setup } from './helpers';

describe('HttpClient', () => {
  it('returns typed data, sends auth, request id and trace id headers', async () => {
    const { fake, client } = setup();
    fake.server.ok('GET', '/api/products/:id', { id: 'p1' });
    const product = await client.get<{ id: string }>('/api/products/p1', {
      params: { b: 2, a: 1, z: undefined },
    });
    expect(product).toEqual({ id: 'p1' });
    const sent = fake.server.log.find((r) => r.path === '/api/products/p1');
    expect(sent?.url).toBe(`${BASE}/api/products/p1?a=1&b=2`);
    expect(sent?.header['Authorization']).toBe('Bearer tok-dev-u1-1');
    expect(sent?.header['X-Request-Id']).toMatch(/\S+/);
    expect(sent?.header['X-Trace-Id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('implements post/put/patch/delete with JSON bodies and absolute URLs', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.on('*', '/api/things*', (r) => ({
      data: envelope({ method: r.method, body: r.data }),
    }));
    await expect(client.post('/api/things', { a: 1 })).resolves.toEqual({
      method: 'POST',
      body: { a: 1 },
    });
    await expect(client.put('/api/things/1', { a: 2 })).resolves.toMatchObject({ method: 'PUT' });
    await expect(client.patch('/api/things/1', { a: 3 })).resolves.toMatchObject({
      method: 'POST',
    });
    expect(fake.server.log[2].header['X-HTTP-Method-Override']).toBe('PATCH');
    await expect(client.delete(`${BASE}/api/things/1`)).resolves.toMatchObject({
      method: 'DELETE',
    });
    expect(fake.server.log[0].header['Content-Type']).toBe('application/json');
    const buffer = new ArrayBuffer(4);
    await client.put('/api/things/chunk', buffer);
    expect(fake.server.log[4].header['Content-Type']).toBe('application/octet-stream');
  });

  it('joins relative URLs to baseURL (with a path prefix) and appends the sorted query', async () => {
    const fake = createFakeWx();
    fake.server.ok('GET', '/v1/api/items', 'ok');
    fake.server.ok('GET', '/', 'root');
    const { client } = setup({ session: false, baseURL: `${BASE}/v1/` }, fake);
    await client.get('api/items', { params: { b: 1, a: 'x y' } });
    await client.get('/api/items?page=2', { params: { n: 3 } });
    await client.get(BASE, { params: { q: 1 } });
    expect(fake.server.log.map((r) => r.url)).toEqual([
      `${BASE}/v1/api/items?a=x%20y&b=1`,
      `${BASE}/v1/api/items?page=2&n=3`,
      `${BASE}?q=1`,
    ]);
    // The monitor's endpoints are paths without the origin (the base's prefix kept).
    expect(client.monitor?.snapshot().endpoints.map((e) => e.endpoint)).toEqual([
      expect.stringMatching(/(^|\s)\/v1\/api\/items$/),
      expect.stringMatching(/(^|\s)\/$/),
    ]);
    const bare = createHttpClient({ wx: fake.wx, session: false });
    await expect(bare.get(`${BASE}/v1/api/items`)).resolves.toBe('ok');
  });

  it('keeps a Content-Type the caller set in any letter case', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.ok('POST', '/api/text', 'ok');
    await client.post('/api/text', 'plain', { header: { 'content-type': 'text/plain' } });
    expect(fake.server.log[0].header).toEqual(
      expect.not.objectContaining({ 'Content-Type': expect.anything() }),
    );
    expect(fake.server.log[0].header['content-type']).toBe('text/plain');
  });

  it('maps failures to one AppError with ids and a zh-CN or English user message', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('GET', '/api/x', {
      status: 200,
      data: { success: false, errorCode: 'CONFLICT', errorMessage: '已存在', traceId: 's' },
    });
    const business = await client.get('/api/x').catch((e: AppError) => e);
    expect(business).toBeInstanceOf(AppError);
    expect(business).toMatchObject({ kind: 'business', code: 'CONFLICT', userMessage: '已存在' });
    expect((business as AppError).requestId).toBeTruthy();
    expect((business as AppError).traceId).toMatch(/^[0-9a-f]{32}$/);
    fake.server.on('GET', '/api/y', { status: 404, data: 'nope' });
    setLocale('en');
    try {
      const http = await client.get('/api/y').catch((e: AppError) => e);
      expect(http).toMatchObject({
        kind: 'http',
        status: 404,
        userMessage: 'The service is unavailable (404)',
      });
    } finally {
      setLocale('zh-CN');
    }
    fake.server.on('GET', '/api/z', { status: 200, data: '{not json' });
    await expect(client.get('/api/z')).rejects.toMatchObject({
      kind: 'parse',
      userMessage: '数据解析失败',
    });
    fake.server.on('GET', '/api/w', { status: 200, data: { no: 'envelope' } });
    await expect(client.get('/api/w')).rejects.toMatchObject({ kind: 'parse' });
  });

  it('times out by aborting the RequestTask', async () => {
    jest.useFakeTimers();
    try {
      const { fake, client } = setup({ session: false, errorPolicy: false });
      fake.server.on('GET', '/api/slow', { hang: true });
      const pending = client
        .get('/api/slow', { timeout: 500, retry: false })
        .catch((e: AppError) => e);
      await jest.advanceTimersByTimeAsync(500);
      expect(await pending).toMatchObject({ kind: 'timeout' });
      expect(fake.server.aborted).toEqual([`${BASE}/api/slow`]);
      expect(fake.server.inFlight).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('cancels by signal and by page group, aborting the task', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('GET', '/api/hang', { hang: true });
    const source = new CancelSource();
    const one = client.get('/api/hang', { signal: source.signal }).catch((e: AppError) => e);
    await Promise.resolve();
    await Promise.resolve();
    source.cancel();
    expect(await one).toMatchObject({ kind: 'cancelled' });
    const page = new CancelGroup();
    const a = client.get('/api/hang?a', { signal: page.signal }).catch((e: AppError) => e.kind);
    const b = client.get('/api/hang?b', { signal: page.signal }).catch((e: AppError) => e.kind);
    await new Promise((r) => setTimeout(r, 0));
    page.cancelAll();
    expect(await Promise.all([a, b])).toEqual(['cancelled', 'cancelled']);
    expect(fake.server.aborted.length).toBe(3);
  });

  it('an authenticated request follows its own signal and logout together', async () => {
    const { fake, client } = setup({ errorPolicy: false });
    fake.server.ok('GET', '/api/me', { id: 'u1' });
    fake.server.on('GET', '/api/hang', { hang: true });
    const page = new CancelGroup();
    await expect(client.get('/api/me', { signal: page.signal })).resolves.toEqual({ id: 'u1' });
    const byPage = client.get('/api/hang?a', { signal: page.signal }).catch((e: AppError) => e);
    await new Promise((r) => setTimeout(r, 0));
    page.cancelAll('unload');
    expect(await byPage).toMatchObject({ kind: 'cancelled', cause: 'unload' });
    const byLogout = client.get('/api/hang?b', { signal: page.signal }).catch((e: AppError) => e);
    await new Promise((r) => setTimeout(r, 0));
    client.logout();
    expect(await byLogout).toMatchObject({ kind: 'cancelled', cause: 'logout' });
    expect(fake.server.aborted).toHaveLength(2);
    // Without a session manager, logout has nothing to end.
    expect(() => setup({ session: false }).client.logout()).not.toThrow();
  });

  it('logout cancels authenticated requests in flight and clears the user cache partition', async () => {
    const { fake, client } = setup({ errorPolicy: false });
    fake.server.ok('GET', '/api/me', { id: 'u1' });
    await client.get('/api/me', { cache: { ttl: 60_000 } });
    expect(client.cache?.stats().entries).toBe(1);
    fake.server.on('GET', '/api/hang', { hang: true });
    const pending = client.get('/api/hang').catch((e: AppError) => e.kind);
    await new Promise((r) => setTimeout(r, 0));
    client.logout();
    expect(await pending).toBe('cancelled');
    expect(client.session?.current()).toBeUndefined();
    expect(client.cache?.stats().entries).toBe(0);
    expect([...fake.storage.raw.keys()].filter((k) => k.startsWith('rc:'))).toEqual([]);
  });

  it('rejects wrong input with a clear error instead of sending it', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    await expect(client.request({ url: '' })).rejects.toMatchObject({
      kind: 'parse',
      message: 'request: url must be a non-empty string',
    });
    await expect(
      client.request({ url: '/x', method: 'BREW' as unknown as 'GET' }),
    ).rejects.toMatchObject({ message: 'request: unsupported method BREW' });
    await expect(client.get('/x', { timeout: -1 })).rejects.toMatchObject({
      message: expect.stringContaining('timeout must be a positive'),
    });
    await expect(client.get('/x', { cache: { ttl: Number.NaN } })).rejects.toMatchObject({
      message: expect.stringContaining('cache.ttl'),
    });
    expect(fake.server.log).toHaveLength(0);
  });
  it('while offline fails new requests fast, holds offline: queue ones, and still serves the cache', async () => {
    const connectivity = new TestConnectivity();
    const { fake, client } = setup({ connectivity });
    fake.server.ok('GET', '/api/x', 'fresh');
    await client.get('/api/x', { cache: { ttl: 60_000 } });
    const sends = jest.spyOn(fake.wx, 'request');
    const logins = fake.auth.loginCalls;
    fake.network.set('none');
    connectivity.set(false);

    const failed = await client.get<string>('/api/y').catch((error: AppError) => error);
    expect(failed).toMatchObject({ kind: 'offline', userMessage: expect.any(String) });
    // No attempt, no login and no wait: the caller hears at once.
    expect(sends).not.toHaveBeenCalled();
    expect(fake.auth.loginCalls).toBe(logins);
    expect(fake.ui.toasts).toHaveLength(1);
    expect(await client.get('/api/x', { cache: { ttl: 60_000 } })).toBe('fresh');

    let held: string | undefined;
    const queued = client.get<string>('/api/x', { offline: 'queue' }).then((v) => (held = v));
    await new Promise((r) => setTimeout(r, 5));
    expect(held).toBeUndefined();
    expect(sends).not.toHaveBeenCalled();
    fake.network.set('wifi');
    connectivity.set(true);
    await queued;
    expect(held).toBe('fresh');
    expect(sends).toHaveBeenCalledTimes(1);
  });
});
