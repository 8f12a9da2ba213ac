import type {
  CloudLoginReply,
  Favorite,
  FavoriteRemoved,
  PageResult,
  Product,
  ProductDetail,
} from '../../../typings/api';
import { createFavorites } from '../../../cloudfunctions/favorites';
import { createLogin } from '../../../cloudfunctions/login';
import { createProducts } from '../../../cloudfunctions/products';
import type { CloudDeps } from '../../../cloudfunctions/common/database';
import { seedCatalogue } from '../../../server/src/db/seed';
import { MemoryDatabase } from './memory-db';

function setup(openid = 'o-alice') {
  const db = new MemoryDatabase();
  db.seed(
    'products',
    seedCatalogue(240).map((p, i) => ({
      _id: p.id,
      seq: i + 1,
      titleLower: p.title.toLowerCase(),
      ...p,
    })),
  );
  let time = 1_000;
  const deps: CloudDeps = { db, openId: () => openid, now: () => time++ };
  return { db, deps };
}

describe('cloud function: login', () => {
  it('creates the user once from the caller openid and returns it after', async () => {
    const { db, deps } = setup('o-12345678901234');
    const login = createLogin(deps);
    const first = await login({ traceId: 't-1' });
    expect(first).toMatchObject({ success: true, traceId: 't-1' });
    const user = (first.data as CloudLoginReply).user;
    expect(user.id).toBe('wx_345678901234');
    const again = await login({});
    expect((again.data as CloudLoginReply).user).toEqual(user);
    expect(db.writes.filter((w) => w.collection === 'users')).toHaveLength(1);
  });

  it('refuses a call without identity', async () => {
    const { deps } = setup('');
    const reply = await createLogin(deps)({});
    expect(reply).toMatchObject({ success: false, errorCode: 'UNAUTHORIZED' });
  });
});

describe('cloud function: products (same paging rules as the server)', () => {
  it('lists with default paging, stable order and filters', async () => {
    const products = createProducts(setup().deps);
    const page = (await products({ action: 'list' })).data as PageResult<Product>;
    expect(page).toMatchObject({ current: 1, pageSize: 20, total: 240 });
    expect(page.list.map((p) => p.id).slice(0, 3)).toEqual(['p001', 'p002', 'p003']);
    const rare = (await products({ action: 'list', category: 'rare', pageSize: 5, current: 2 }))
      .data as PageResult<Product>;
    expect(rare.total).toBe(7);
    expect(rare.list).toHaveLength(2);
    const search = (await products({ action: 'list', q: 'LAMP', pageSize: 50 }))
      .data as PageResult<Product>;
    expect(search.list.length).toBeGreaterThan(0);
    expect(search.list.every((p) => p.title.toLowerCase().includes('lamp'))).toBe(true);
    const literal = (await products({ action: 'list', q: '.*' })).data as PageResult<Product>;
    expect(literal.total).toBe(0);
  });

  it.each([
    [{ action: 'list', pageSize: 51 }, /pageSize must be between 1 and 50/],
    [{ action: 'list', current: 0 }, /current must be between/],
    [{ action: 'list', category: 'weapons' }, /category must be one of/],
    [{ action: 'detail', id: '../x' }, /productId/],
    [{ action: 'drop tables' }, /action must be/],
  ])('refuses %j with BAD_REQUEST', async (event, message) => {
    const reply = await createProducts(setup().deps)(event);
    expect(reply).toMatchObject({ success: false, errorCode: 'BAD_REQUEST' });
    expect(reply.errorMessage).toMatch(message);
  });

  it("detail carries the caller's favorite flag; unknown → NOT_FOUND", async () => {
    const { deps } = setup();
    await createFavorites(deps)({ action: 'add', productId: 'p003' });
    const detail = (await createProducts(deps)({ action: 'detail', id: 'p003' }))
      .data as ProductDetail;
    expect(detail).toMatchObject({ id: 'p003', favorite: true });
    const missing = await createProducts(deps)({ action: 'detail', id: 'p99999' });
    expect(missing).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
  });
});

describe('cloud function: favorites (idempotent)', () => {
  it('applies a replayed key exactly once with the same reply', async () => {
    const { db, deps } = setup();
    const favorites = createFavorites(deps);
    const first = await favorites({ action: 'add', productId: 'p010', idempotencyKey: 'k-1' });
    const replays = await Promise.all(
      [1, 2, 3].map(() => favorites({ action: 'add', productId: 'p010', idempotencyKey: 'k-1' })),
    );
    for (const reply of replays) expect(reply.data).toEqual(first.data);
    expect(db.writes.filter((w) => w.collection === 'favorites' && w.op === 'set')).toHaveLength(1);
    const other = await favorites({ action: 'add', productId: 'p011', idempotencyKey: 'k-1' });
    expect(other).toMatchObject({ success: false, errorCode: 'VALIDATION_FAILED' });
  });

  it('adds, lists newest first, removes', async () => {
    const { deps } = setup();
    const favorites = createFavorites(deps);
    await favorites({ action: 'add', productId: 'p001' });
    await favorites({ action: 'add', productId: 'p002' });
    const list = (await favorites({ action: 'list', pageSize: 10 })).data as PageResult<Favorite>;
    expect(list.list.map((f) => f.productId)).toEqual(['p002', 'p001']);
    expect(list.total).toBe(2);
    expect(
      (await favorites({ action: 'remove', productId: 'p001' })).data as FavoriteRemoved,
    ).toEqual({
      productId: 'p001',
      removed: true,
    });
    expect(
      ((await favorites({ action: 'remove', productId: 'p001' })).data as FavoriteRemoved).removed,
    ).toBe(false);
  });

  it('keeps users apart', async () => {
    const shared = new MemoryDatabase();
    shared.seed('products', [{ _id: 'p001', id: 'p001', seq: 1 }]);
    const alice = createFavorites({ db: shared, openId: () => 'o-a', now: () => 1 });
    const bob = createFavorites({ db: shared, openId: () => 'o-b', now: () => 2 });
    await alice({ action: 'add', productId: 'p001' });
    expect(((await bob({ action: 'list' })).data as PageResult<Favorite>).total).toBe(0);
  });

  it.each([
    [{ action: 'add', productId: 'p99999' }, 'NOT_FOUND'],
    [{ action: 'add', productId: 42 }, 'BAD_REQUEST'],
    [{ action: 'add', productId: 'p001', idempotencyKey: 'has spaces' }, 'BAD_REQUEST'],
    [{ action: 'list', pageSize: 1000 }, 'BAD_REQUEST'],
    [{ action: 'nuke' }, 'BAD_REQUEST'],
  ])('refuses %j with %s', async (event, code) => {
    const reply = await createFavorites(setup().deps)(event);
    expect(reply).toMatchObject({ success: false, errorCode: code });
  });
});
