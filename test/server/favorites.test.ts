import type { DevStats } from '../../typings/dev';
import type { Favorite, FavoriteRemoved, PageResult, ProductDetail } from '../../typings/api';
import type { RunningServer } from '../../server/src/app';
import { bearer, call, login, running } from './helpers';

describe('favorites with Idempotency-Key', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await running();
    auth = bearer((await login(server, 'fav')).token);
  });
  afterAll(() => server.close());

  const add = (productId: unknown, key?: string) =>
    call<Favorite>(server, {
      method: 'POST',
      url: '/api/favorites',
      headers: { ...auth, ...(key ? { 'idempotency-key': key } : {}) },
      payload: { productId },
    });
  const stats = async () =>
    (await call<DevStats>(server, { method: 'GET', url: '/__dev/stats' })).body.data!;

  it('applies a replayed key exactly once and answers the same each time', async () => {
    const before = (await stats()).favoritesApplied;
    const first = await add('p002', 'key-1');
    expect(first.res.statusCode).toBe(200);
    const replies = await Promise.all([
      add('p002', 'key-1'),
      add('p002', 'key-1'),
      add('p002', 'key-1'),
    ]);
    for (const reply of replies) {
      expect(reply.res.statusCode).toBe(200);
      expect(reply.body.data).toEqual(first.body.data);
      expect(reply.res.headers['idempotent-replayed']).toBe('true');
    }
    expect((await stats()).favoritesApplied).toBe(before + 1);
    // A new key (or none) for a favorite already held is not applied again either.
    expect((await add('p002', 'key-1b')).body.data).toEqual(first.body.data);
    expect((await add('p002')).body.data).toEqual(first.body.data);
    expect((await stats()).favoritesApplied).toBe(before + 1);
    const list = await call<PageResult<Favorite>>(server, {
      method: 'GET',
      url: '/api/favorites',
      headers: auth,
    });
    expect(list.body.data!.list.filter((f) => f.productId === 'p002')).toHaveLength(1);
    const detail = await call<ProductDetail>(server, {
      method: 'GET',
      url: '/api/products/p002',
      headers: auth,
    });
    expect(detail.body.data!.favorite).toBe(true);
  });

  it('the same key with a different body → 422 and nothing changes', async () => {
    await add('p003', 'key-2');
    const { res, body } = await add('p004', 'key-2');
    expect(res.statusCode).toBe(422);
    expect(body.errorCode).toBe('VALIDATION_FAILED');
    expect(body.errorMessage).toMatch(/Idempotency-Key/);
    const detail = await call<ProductDetail>(server, {
      method: 'GET',
      url: '/api/products/p004',
      headers: auth,
    });
    expect(detail.body.data!.favorite).toBe(false);
  });

  it('keys are per user', async () => {
    const other = bearer((await login(server, 'fav2')).token);
    await add('p005', 'shared-key');
    const theirs = await call<Favorite>(server, {
      method: 'POST',
      url: '/api/favorites',
      headers: { ...other, 'idempotency-key': 'shared-key' },
      payload: { productId: 'p006' },
    });
    expect(theirs.res.statusCode).toBe(200);
    expect(theirs.body.data!.productId).toBe('p006');
  });

  it('DELETE removes; deleting again reports removed=false', async () => {
    await add('p007');
    const del = () =>
      call<FavoriteRemoved>(server, {
        method: 'DELETE',
        url: '/api/favorites/p007',
        headers: auth,
      });
    expect((await del()).body.data).toEqual({ productId: 'p007', removed: true });
    expect((await del()).body.data).toEqual({ productId: 'p007', removed: false });
  });

  it("lists the user's favorites paged", async () => {
    const { body } = await call<PageResult<Favorite>>(server, {
      method: 'GET',
      url: '/api/favorites?pageSize=2',
      headers: auth,
    });
    expect(body.data).toMatchObject({ current: 1, pageSize: 2 });
    expect(body.data!.list.length).toBeLessThanOrEqual(2);
    expect(body.data!.total).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['unknown product', 'p99999', undefined, 404, 'NOT_FOUND'],
    ['wrong type', 42, undefined, 400, 'BAD_REQUEST'],
    ['missing field', undefined, undefined, 400, 'BAD_REQUEST'],
    ['bad key', 'p001', 'bad key with spaces', 400, 'BAD_REQUEST'],
    ['oversized key', 'p001', 'k'.repeat(129), 400, 'BAD_REQUEST'],
  ])('%s → %i', async (_name, productId, key, status, code) => {
    const { res, body } = await add(productId, key);
    expect(res.statusCode).toBe(status);
    expect(body.errorCode).toBe(code);
  });

  it('a failed request does not burn its key', async () => {
    expect((await add('p99999', 'key-3')).res.statusCode).toBe(404);
    const ok = await add('p008', 'key-3');
    expect(ok.res.statusCode).toBe(200);
  });
});
