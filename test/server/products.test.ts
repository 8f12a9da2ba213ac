import type { PageResult, Product, ProductDetail } from '../../typings/api';
import type { RunningServer } from '../../server/src/app';
import { bearer, call, login, request, running } from './helpers';

describe('products', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await running();
    auth = bearer((await login(server)).token);
  });
  afterAll(() => server.close());

  const list = (query: string) =>
    call<PageResult<Product>>(server, {
      method: 'GET',
      url: `/api/products${query}`,
      headers: auth,
    });

  it('needs a token', async () => {
    const { res } = await call(server, { method: 'GET', url: '/api/products' });
    expect(res.statusCode).toBe(401);
  });

  it('pages ≥ 200 seeded products in a stable order with default pageSize 20', async () => {
    const first = await list('');
    expect(first.res.statusCode).toBe(200);
    const page = first.body.data!;
    expect(page).toMatchObject({ current: 1, pageSize: 20 });
    expect(page.total).toBeGreaterThanOrEqual(200);
    expect(page.list).toHaveLength(20);
    const all: string[] = [];
    for (let current = 1; current <= Math.ceil(page.total / 50); current++) {
      const { body } = await list(`?current=${current}&pageSize=50`);
      all.push(...body.data!.list.map((p) => p.id));
    }
    expect(all).toHaveLength(page.total);
    expect(new Set(all).size).toBe(page.total);
    expect([...all].sort()).toEqual(all);
    const again = await list('');
    expect(again.body.data!.list).toEqual(page.list);
  });

  it('filters by category; rare is short so "no more" is reachable', async () => {
    const { body } = await list('?category=rare&pageSize=5');
    expect(body.data!.total).toBe(7);
    expect(body.data!.list.every((p) => p.category === 'rare')).toBe(true);
    const second = await list('?category=rare&pageSize=5&current=2');
    expect(second.body.data!.list).toHaveLength(2);
    const third = await list('?category=rare&pageSize=5&current=3');
    expect(third.body.data!.list).toEqual([]);
  });

  it('searches titles case-insensitively, with LIKE wildcards taken literally', async () => {
    const { body } = await list('?q=LAMP&pageSize=50');
    expect(body.data!.total).toBeGreaterThan(0);
    expect(body.data!.list.every((p) => p.title.toLowerCase().includes('lamp'))).toBe(true);
    const wildcard = await list('?q=%25');
    expect(wildcard.body.data!.total).toBe(0);
  });

  it.each([
    ['?pageSize=51', /pageSize must be <= 50/],
    ['?pageSize=0', /pageSize must be >= 1/],
    ['?current=abc', /current must be integer/],
    ['?current=-1', /current must be >= 1/],
    ['?category=weapons', /category must be equal to one of the allowed values/],
    [`?q=${'x'.repeat(51)}`, /q must NOT have more than 50 characters/],
  ])('GET /api/products%s → 400 with a clear message', async (query, message) => {
    const { res, body } = await list(query);
    expect(res.statusCode).toBe(400);
    expect(body.errorCode).toBe('BAD_REQUEST');
    expect(body.errorMessage).toMatch(message);
  });

  it('ETag + If-None-Match → 304, with private revalidating Cache-Control', async () => {
    const first = await request(server, {
      method: 'GET',
      url: '/api/products?pageSize=3',
      headers: auth,
    });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toMatch(/private/);
    expect(first.headers['cache-control']).toMatch(/must-revalidate/);
    const second = await request(server, {
      method: 'GET',
      url: '/api/products?pageSize=3',
      headers: { ...auth, 'if-none-match': etag },
    });
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
    const other = await request(server, {
      method: 'GET',
      url: '/api/products?pageSize=4',
      headers: { ...auth, 'if-none-match': etag },
    });
    expect(other.statusCode).toBe(200);
  });

  it('detail: found, 404 unknown, 400 malformed id', async () => {
    const ok = await call<ProductDetail>(server, {
      method: 'GET',
      url: '/api/products/p001',
      headers: auth,
    });
    expect(ok.body.data).toMatchObject({
      id: 'p001',
      favorite: false,
      imageUrl: '/images/products/p001.png',
    });
    const missing = await call(server, {
      method: 'GET',
      url: '/api/products/p999999',
      headers: auth,
    });
    expect(missing.res.statusCode).toBe(404);
    expect(missing.body.errorCode).toBe('NOT_FOUND');
    const bad = await call(server, {
      method: 'GET',
      url: '/api/products/..%2F..%2Fetc',
      headers: auth,
    });
    expect(bad.res.statusCode).toBe(400);
  });

  it('serves real PNG images publicly with Cache-Control and ETag (304 on revalidation)', async () => {
    const image = await request(server, { method: 'GET', url: '/images/products/p001.png' });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.raw.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(image.headers['cache-control']).toMatch(/public, max-age=\d+/);
    const same = await request(server, { method: 'GET', url: '/images/products/p001.png' });
    expect(same.raw).toEqual(image.raw);
    const revalidated = await request(server, {
      method: 'GET',
      url: '/images/products/p001.png',
      headers: { 'if-none-match': image.headers.etag as string },
    });
    expect(revalidated.statusCode).toBe(304);
    const unknown = await request(server, { method: 'GET', url: '/images/products/p99999.png' });
    expect(unknown.statusCode).toBe(404);
    const traversal = await request(server, { method: 'GET', url: '/images/products/..%2Fapp.db' });
    expect(traversal.statusCode).toBe(400);
  });

  it('serves the avatar a user record points at', async () => {
    const { user } = await login(server, 'avatar');
    const avatar = await request(server, { method: 'GET', url: user.avatarUrl });
    expect(avatar.statusCode).toBe(200);
    expect(avatar.headers['content-type']).toBe('image/png');
    const bad = await request(server, { method: 'GET', url: '/images/avatars/x.svg' });
    expect(bad.statusCode).toBe(400);
  });
});
