import {
  buildCacheKey,
  matchesPrefix,
  ResponseCache,
  type CacheEntry,
} from '../../../miniprogram/utils/cache';
import { SafeStorage } from '../../../miniprogram/utils/storage';
import { createFakeWx } from '../fake-wx';
import { envelope, flush, setup } from './helpers';

function entry(key: string, data: unknown, extra: Partial<CacheEntry> = {}): CacheEntry {
  return { key, user: 'u1', path: key, tags: [], data, expiresAt: 1e15, ...extra };
}

/** The storage key an entry was written under (found by its content). */
function storageKeyOf(fake: ReturnType<typeof createFakeWx>, key: string): string {
  const found = [...fake.storage.raw].find(([, text]) => text.includes(`"key":"${key}"`));
  if (!found) throw new Error(`no stored entry for ${key}`);
  return found[0];
}

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('response cache through the client', () => {
  it('serves a fresh entry without a request, then refetches after the TTL', async () => {
    const time = clock();
    const { fake, client } = setup({ now: time.now, session: false });
    let version = 0;
    fake.server.on('GET', '/api/products', () => ({ data: envelope({ version: ++version }) }));
    const options = { cache: { ttl: 1000 } };
    await expect(client.get('/api/products', options)).resolves.toEqual({ version: 1 });
    await expect(client.get('/api/products', options)).resolves.toEqual({ version: 1 });
    expect(fake.server.log).toHaveLength(1);
    time.advance(1001);
    await expect(client.get('/api/products', options)).resolves.toEqual({ version: 2 });
    expect(client.monitor?.snapshot().totals.cacheHits).toBe(1);
  });

  it('SWR: delivers cached data at once, then ONE onUpdate with the fresh data', async () => {
    const time = clock();
    const { fake, client } = setup({ now: time.now, session: false });
    let version = 0;
    fake.server.on('GET', '/api/feed', () => ({
      data: envelope({ version: ++version }),
      latency: 5,
    }));
    const onUpdate = jest.fn();
    const options = { cache: { ttl: 1000, swr: true, onUpdate } };
    await client.get('/api/feed', options);
    time.advance(5000);
    await expect(client.get('/api/feed', options)).resolves.toEqual({ version: 1 });
    expect(onUpdate).not.toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 20));
    expect(onUpdate).toHaveBeenCalledTimes(1);
    expect(onUpdate).toHaveBeenCalledWith({ version: 2 });
    await expect(client.get('/api/feed', options)).resolves.toEqual({ version: 2 });
  });

  it('SWR with a bounded window fetches normally once the window has passed', async () => {
    const time = clock();
    const { fake, client } = setup({ now: time.now, session: false });
    let version = 0;
    fake.server.on('GET', '/api/feed', () => ({ data: envelope(++version) }));
    const options = { cache: { ttl: 100, swr: 100 } };
    await client.get('/api/feed', options);
    time.advance(150);
    await expect(client.get('/api/feed', options)).resolves.toBe(1); // stale, within window
    await flush(30);
    time.advance(1000);
    await expect(client.get('/api/feed', options)).resolves.toBe(3);
  });

  it('a failing background revalidation keeps the cached data and never reaches the caller', async () => {
    const time = clock();
    const { fake, client } = setup({ now: time.now, session: false });
    fake.server.ok('GET', '/api/feed', 'cached');
    const onUpdate = jest.fn();
    await client.get('/api/feed', { cache: { ttl: 10, swr: true, onUpdate } });
    fake.server.on('GET', '/api/feed', { status: 500, data: 'down' });
    time.advance(100);
    await expect(
      client.get('/api/feed', { cache: { ttl: 10, swr: true, onUpdate }, retry: false }),
    ).resolves.toBe('cached');
    await new Promise((r) => setTimeout(r, 5));
    expect(onUpdate).not.toHaveBeenCalled();
    expect(fake.ui.toasts).toEqual([]);
  });

  it('revalidates with If-None-Match; a 304 refreshes the entry without a body', async () => {
    const time = clock();
    const { fake, client } = setup({ now: time.now, session: false });
    fake.server.on('GET', '/api/products/:id', (request) =>
      request.header['If-None-Match'] === '"v1"'
        ? { status: 304, data: '' }
        : { data: envelope({ id: 'p1', title: 'Phone' }), header: { ETag: '"v1"' } },
    );
    const options = { cache: { ttl: 1000 } };
    await client.get('/api/products/p1', options);
    time.advance(2000);
    await expect(client.get('/api/products/p1', options)).resolves.toEqual({
      id: 'p1',
      title: 'Phone',
    });
    expect(fake.server.log[1].header['If-None-Match']).toBe('"v1"');
    const metrics = client.monitor?.snapshot();
    expect(metrics?.totals.cacheHits).toBe(1); // the revalidated one
    await client.get('/api/products/p1', options); // fresh again after the 304
    expect(fake.server.log).toHaveLength(2);
  });

  it('a 304 without a cached entry is an error, not empty data', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('GET', '/api/odd', { status: 304, data: '' });
    await expect(client.get('/api/odd', { cache: { ttl: 10 } })).rejects.toMatchObject({
      kind: 'http',
      status: 304,
    });
  });

  it('mutations invalidate their collection; explicit prefixes and tags too', async () => {
    const { fake, client } = setup({ session: false });
    let n = 0;
    fake.server.on('GET', '*', () => ({ data: envelope(++n) }));
    fake.server.ok('DELETE', '/api/favorites/:id', { removed: true });
    fake.server.ok('POST', '/api/orders', {});
    const cached = { cache: { ttl: 60_000 } };
    await client.get('/api/favorites', cached);
    await client.get('/api/products', { cache: { ttl: 60_000, tags: ['catalog'] } });
    await client.get('/api/other', cached);
    await client.delete('/api/favorites/p001');
    await client.post('/api/orders', {}, { invalidate: { tags: ['catalog'] } });
    const before = fake.server.log.length;
    await client.get('/api/favorites', cached);
    await client.get('/api/products', { cache: { ttl: 60_000, tags: ['catalog'] } });
    await client.get('/api/other', cached);
    expect(fake.server.log.length - before).toBe(2); // favorites and products refetched, other still cached
  });

  it('a mutation invalidates its collection in every partition, public replies included', async () => {
    const { fake, client } = setup();
    let n = 0;
    fake.server.on('GET', '/api/products', () => ({ data: envelope(++n) }));
    fake.server.ok('POST', '/api/products', {});
    const publicList = () => client.get('/api/products', { auth: false, cache: { ttl: 60_000 } });
    const ownList = () => client.get('/api/products', { cache: { ttl: 60_000 } });
    expect([await publicList(), await ownList()]).toEqual([1, 2]);
    await client.post('/api/products', { name: 'new' });
    expect([await publicList(), await ownList()]).toEqual([3, 4]);
  });

  it("keys by user: one user never sees another user's entry", async () => {
    const { fake, client } = setup();
    fake.server.on('GET', '/api/me', (r) => ({ data: envelope(r.header['Authorization']) }));
    await client.get('/api/me', { cache: { ttl: 60_000 } });
    client.logout();
    fake.auth.userKey = 'u2';
    await expect(client.get('/api/me', { cache: { ttl: 60_000 } })).resolves.toBe(
      'Bearer tok-dev-u2-2',
    );
  });
});

describe('ResponseCache', () => {
  it('builds keys from method, URL with sorted params, body hash and user', () => {
    const key = (method: string, path: string, body: unknown, user: string) =>
      buildCacheKey({ method, path, body, user });
    expect(key('GET', '/a?x=1', undefined, 'u1')).toBe('GET /a?x=1 #- @u1');
    expect(key('POST', '/a', { q: 1 }, 'u1')).not.toBe(key('POST', '/a', { q: 2 }, 'u1'));
    expect(key('POST', '/a', 'raw', 'u1')).toMatch(/#[0-9a-f]{8} @u1$/);
    expect(matchesPrefix('/api/products?x=1', '/api/products')).toBe(true);
    expect(matchesPrefix('/api/productsX', '/api/products')).toBe(false);
    expect(matchesPrefix('/api/x', '/api/')).toBe(true);
  });

  it('evicts least recently used entries under the byte budget, in memory and in storage', () => {
    const fake = createFakeWx();
    const storage = new SafeStorage(fake.wx);
    const cache = new ResponseCache({ storage, budgetBytes: 1000 }); // ~290 bytes per entry: 3 fit
    const blob = 'x'.repeat(200);
    cache.set(entry('a', blob));
    cache.set(entry('b', blob));
    cache.set(entry('c', blob));
    cache.get('a'); // a is now the most recent
    cache.set(entry('d', blob));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('d')).toBeDefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(1000);
    expect(cache.stats().entries).toBe(3); // b was evicted, not just hidden
    expect(fake.storage.raw.has(storageKeyOf(fake, 'a'))).toBe(true);
    expect([...fake.storage.raw.values()].some((text) => text.includes('"key":"b"'))).toBe(false);
  });

  it('keeps the stored entries within the byte budget, also after a restart', () => {
    const fake = createFakeWx();
    const storage = new SafeStorage(fake.wx);
    const cache = new ResponseCache({ storage, budgetBytes: 3000 });
    const blob = 'y'.repeat(900);
    for (const key of ['a', 'b', 'c', 'd', 'e']) cache.set(entry(key, blob));
    expect(cache.stats().bytes).toBeLessThanOrEqual(3000);
    expect(fake.storage.bytes()).toBeLessThanOrEqual(3000);
    const reopened = new ResponseCache({ storage, budgetBytes: 3000 });
    expect(reopened.get('a')).toBeUndefined();
    expect(reopened.get('e')?.data).toBe(blob);
    expect(reopened.stats().entries).toBe(3);
    // A smaller budget after an update: the restart evicts down to it.
    const smaller = new ResponseCache({ storage, budgetBytes: 2000 });
    expect(smaller.stats().bytes).toBeLessThanOrEqual(2000);
    expect(fake.storage.bytes()).toBeLessThanOrEqual(2000);
  });

  it('respects 1 MB per key: a larger entry stays in memory only, never hits storage', () => {
    const fake = createFakeWx();
    const cache = new ResponseCache({
      storage: new SafeStorage(fake.wx),
      budgetBytes: 3 * 1024 * 1024,
    });
    expect(cache.set(entry('big', 'z'.repeat(1024 * 1024 + 10)))).toBe(true);
    expect(cache.get('big')).toBeDefined();
    expect([...fake.storage.raw.keys()]).toEqual([]);
    const tiny = new ResponseCache({ storage: new SafeStorage(fake.wx), budgetBytes: 10 });
    expect(tiny.set(entry('big', 'z'.repeat(100)))).toBe(false);
    expect(tiny.stats().entries).toBe(0);
  });

  it('on the 10 MB quota error it evicts its own oldest entries and retries', () => {
    const fake = createFakeWx();
    const cache = new ResponseCache({ storage: new SafeStorage(fake.wx) });
    cache.set(entry('old', 'o'.repeat(100)));
    fake.storage.failNextWrites(1);
    expect(cache.set(entry('new', 'n'.repeat(100)))).toBe(true);
    const reopened = new ResponseCache({ storage: new SafeStorage(fake.wx) });
    expect(reopened.get('old')).toBeUndefined();
    expect(reopened.get('new')?.data).toBe('n'.repeat(100));
  });

  it('drops corrupt entries, foreign keys under its prefix and old formats, never crashing', () => {
    const fake = createFakeWx();
    const storage = new SafeStorage(fake.wx);
    const cache = new ResponseCache({ storage });
    cache.set(entry('good', 1));
    cache.set(entry('bad', 2));
    fake.storage.corrupt(storageKeyOf(fake, 'bad'), '{"key":"bad","data":');
    fake.storage.corrupt('rc:stray', '"foreign"');
    fake.wx.setStorageSync('rc:index', [{ k: 'good', s: 'rc:x', b: 1 }]); // an older version's index
    fake.wx.setStorageSync('app.settings', { keep: true });
    const reopened = new ResponseCache({ storage });
    expect(reopened.get('bad')).toBeUndefined();
    expect(reopened.get('good')?.data).toBe(1);
    expect(fake.storage.raw.has('rc:stray')).toBe(false);
    expect(fake.storage.raw.has('rc:index')).toBe(false);
    expect(fake.wx.getStorageSync('app.settings')).toEqual({ keep: true });
    expect(reopened.stats().entries).toBe(1); // good; the three others were dropped
    expect([...fake.storage.raw.keys()].filter((k) => k.startsWith('rc:'))).toHaveLength(1);
    expect(reopened.set(entry('again', 3))).toBe(true);
  });

  it("an entry stored under another key's name (tampering) is dropped", () => {
    const fake = createFakeWx();
    const storage = new SafeStorage(fake.wx);
    const cache = new ResponseCache({ storage });
    cache.set(entry('k1', 1));
    fake.wx.setStorageSync(storageKeyOf(fake, 'k1'), entry('other', 9));
    const reopened = new ResponseCache({ storage });
    expect(reopened.get('k1')).toBeUndefined();
    expect(reopened.get('other')).toBeUndefined();
    expect(fake.storage.raw.size).toBe(0);
  });

  it('invalidates by prefix, tag and user partition', () => {
    const cache = new ResponseCache({ storage: new SafeStorage(createFakeWx().wx) });
    cache.set(entry('1', 1, { path: '/api/products?current=1', tags: ['catalog'] }));
    cache.set(entry('2', 2, { path: '/api/products/p1' }));
    cache.set(entry('3', 3, { path: '/api/me', user: 'u2' }));
    cache.set(entry('4', 4, { path: '/api/chat', tags: ['chat'] }));
    expect(cache.invalidate(['/api/products'])).toBe(2);
    expect(cache.invalidate([], ['chat'])).toBe(1);
    expect(cache.clearUser('u2')).toBe(1);
    expect(cache.stats().entries).toBe(0);
  });

  it('an entry that cannot be written (not a quota error) stays in memory only', () => {
    const fake = createFakeWx();
    const storage = new SafeStorage(fake.wx);
    const cache = new ResponseCache({ storage });
    cache.set(entry('a', 1));
    jest.spyOn(storage, 'write').mockReturnValue({ reason: 'error', message: 'x' });
    expect(cache.set(entry('b', 2))).toBe(true);
    expect(cache.get('b')?.data).toBe(2);
    expect(cache.get('a')?.data).toBe(1);
    expect(cache.stats().entries).toBe(2);
    expect([...fake.storage.raw.keys()]).toEqual([storageKeyOf(fake, 'a')]);
  });
});
