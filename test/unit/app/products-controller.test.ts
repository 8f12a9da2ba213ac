import { setApiHttp } from '../../../miniprogram/api/client';
import { FavoritesStore } from '../../../miniprogram/services/favorites';
import type { OutboxEvent } from '../../../miniprogram/services/ports';
import {
  INITIAL_PRODUCTS_DATA,
  ProductsController,
} from '../../../miniprogram/pages/products/controller';
import { AppError } from '../../../miniprogram/utils/errors';
import type { PageResult, Product } from '../../../typings/api';
import { fakeConnectivity, fakeHttp, fakeView, settle } from './page-fakes';

function products(from: number, count: number): Product[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `p${from + i}`,
    title: `P${from + i}`,
    category: 'books',
    price: 100,
    imageUrl: `/img/${from + i}.png`,
    description: '',
    createdAt: 0,
  }));
}
function result(current: number, list: Product[], total = 6): PageResult<Product> {
  return { list, current, pageSize: 3, total };
}

function setup(online = true) {
  jest.useFakeTimers();
  const http = fakeHttp();
  setApiHttp(http);
  const connectivity = fakeConnectivity(online);
  const outboxListeners = new Set<(event: OutboxEvent) => void>();
  const favorites = new FavoritesStore(
    {
      submit: async () => ({ id: 'o1', state: 'queued' }),
      subscribe: (listener) => {
        outboxListeners.add(listener);
        return () => outboxListeners.delete(listener);
      },
    },
    () => 'key',
  );
  const view = fakeView(INITIAL_PRODUCTS_DATA);
  const controller = new ProductsController(view, {
    apiBase: 'http://api',
    pageSize: 3,
    connectivity,
    favorites,
    describeError: (error) => (error instanceof AppError ? `plain:${error.kind}` : 'plain'),
  });
  const productCalls = () => http.calls.filter((call) => call.options.url === '/api/products');
  const favoriteCall = () => http.calls.find((call) => call.options.url === '/api/favorites');
  return { http, connectivity, view, controller, productCalls, favoriteCall, favorites };
}

afterEach(() => jest.useRealTimers());

describe('ProductsController', () => {
  it('shows a skeleton, then the first page, then appends page 2 by path keys', async () => {
    const t = setup();
    void t.controller.start();
    expect(t.view.data.phase).toBe('skeleton');
    const first = t.productCalls()[0];
    expect(first.options).toMatchObject({
      params: { current: 1, pageSize: 3 },
      cache: { swr: true },
    });
    expect(first.options.skipErrorHandler).toBe(true); // empty list: the page shows the error
    first.resolve(result(1, products(1, 3), 9));
    t.favoriteCall()!.resolve({
      list: [{ productId: 'p2', createdAt: 0 }],
      current: 1,
      pageSize: 50,
      total: 1,
    });
    await settle();
    expect(t.view.data.phase).toBe('ready');
    expect(t.view.data.list.map((item) => [item.id, item.favorite])).toEqual([
      ['p1', false],
      ['p2', true],
      ['p3', false],
    ]);
    expect(t.view.data.list[0]).toMatchObject({
      imageUrl: 'http://api/img/1.png',
      priceText: '¥1.00',
    });

    void t.controller.loadMore();
    expect(t.view.data.loadingMore).toBe(true);
    void t.controller.loadMore(); // a second bottom event asks for page 3, not page 2 again
    expect(t.productCalls().map((call) => call.options.params?.current)).toEqual([1, 2, 3]);
    t.productCalls()[1].resolve(result(2, products(4, 3), 9));
    await settle();
    const appended = t.view.patches[t.view.patches.length - 1];
    expect(Object.keys(appended)).toEqual(
      expect.arrayContaining(['list[3]', 'list[4]', 'list[5]']),
    );
    expect(appended).not.toHaveProperty('list');
    expect(t.view.data.loadingMore).toBe(true); // page 3 still in flight
    t.productCalls()[2].resolve(result(3, products(7, 3), 9));
    await settle();
    expect(t.view.data.list).toHaveLength(9);
    expect(t.view.data.hasMore).toBe(false);
    expect(t.view.data.loadingMore).toBe(false);
  });

  it('paints the cached page at once and applies the revalidated one (onUpdate)', async () => {
    const t = setup();
    void t.controller.start();
    const call = t.productCalls()[0];
    call.resolve(result(1, products(1, 3)));
    await settle();
    const update = call.options.cache!.onUpdate!;
    const changed = products(1, 3);
    changed[1] = { ...changed[1], title: 'renamed' };
    update(result(1, changed));
    expect(t.view.data.list[1].title).toBe('renamed');
  });

  it('shows the error state with plain words on an empty list and retries when back online', async () => {
    const t = setup();
    void t.controller.start();
    t.productCalls()[0].reject(new AppError({ kind: 'network' }));
    await settle();
    expect(t.view.data).toMatchObject({ phase: 'error', errorText: 'plain:network' });
    t.connectivity.set(false);
    t.connectivity.set(true);
    expect(t.productCalls()).toHaveLength(2);
  });

  it('shows the offline state when the first load fails while offline', async () => {
    const t = setup(false);
    void t.controller.start();
    t.productCalls()[0].reject(new AppError({ kind: 'offline' }));
    await settle();
    expect(t.view.data.phase).toBe('offline');
  });

  it('keeps the list and offers a footer retry when a refresh or a page fails', async () => {
    const t = setup();
    void t.controller.start();
    t.productCalls()[0].resolve(result(1, products(1, 3)));
    await settle();
    void t.controller.reload({ fresh: true });
    const refresh = t.productCalls()[1];
    expect(refresh.options).toMatchObject({ dedupe: false, cache: undefined });
    expect(refresh.options.skipErrorHandler).toBe(false); // over a list, the policy's toast
    refresh.reject(new AppError({ kind: 'business', showType: 2, serverMessage: 'x' }));
    await settle();
    expect(t.view.data).toMatchObject({ phase: 'ready', footerError: true });
    expect(t.view.data.list).toHaveLength(3);
    void t.controller.retryFooter();
    expect(t.productCalls()[2].options.params?.current).toBe(1);
  });

  it('marks an empty result as empty', async () => {
    const t = setup();
    void t.controller.start();
    t.productCalls()[0].resolve(result(1, [], 0));
    await settle();
    expect(t.view.data.phase).toBe('empty');
  });

  it('debounces search and drops the answers of the previous query', async () => {
    const t = setup();
    void t.controller.start();
    const stale = t.productCalls()[0];
    t.controller.onSearchInput('ph');
    t.controller.onSearchInput('pho');
    expect(t.view.data.query).toBe('pho');
    jest.advanceTimersByTime(299);
    expect(t.productCalls()).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(t.productCalls()).toHaveLength(2);
    expect(t.productCalls()[1].options.params?.q).toBe('pho');
    stale.resolve(result(1, products(100, 3)));
    t.productCalls()[1].resolve(result(1, products(1, 2), 2));
    await settle();
    expect(t.view.data.list.map((item) => item.id)).toEqual(['p1', 'p2']);
    t.controller.clearSearch();
    expect(t.productCalls()[2].options.params?.q).toBeUndefined();
  });

  it('flips a favorite optimistically with one path key and stops following on stop()', async () => {
    const t = setup();
    void t.controller.start();
    t.productCalls()[0].resolve(result(1, products(1, 3)));
    await settle();
    const before = t.view.patches.length;
    await t.controller.toggleFavorite('p3');
    expect(t.view.patches[before]).toEqual({
      'list[2]': expect.objectContaining({ id: 'p3', favorite: true }),
    });
    t.controller.stop();
    expect(t.connectivity.listenerCount()).toBe(0);
  });

  describe('page 1 revalidation racing the next pages (issue 6)', () => {
    /** A cached page 1 on screen and page 2 loaded by one reach-bottom. */
    async function twoPagesShown(t: ReturnType<typeof setup>) {
      void t.controller.start();
      const first = t.productCalls()[0];
      first.resolve(result(1, products(1, 3), 12)); // the cached answer
      await settle();
      void t.controller.loadMore();
      t.productCalls()[1].resolve(result(2, products(4, 3), 12));
      await settle();
      expect(t.view.data.list).toHaveLength(6);
      return first.options.cache!.onUpdate!;
    }
    const ids = (t: ReturnType<typeof setup>) => t.view.data.list.map((item) => item.id);

    it('loads page 2 again when the fresh page 1 replaced the list below it', async () => {
      const t = setup();
      const onUpdate = await twoPagesShown(t);
      // The server changed meanwhile: a product was added at the top.
      onUpdate(result(1, [...products(0, 1), ...products(1, 2)], 13));
      await settle();
      // Before the fix: 3 items, hasMore, not loading, and nothing asked for — the person's
      // reach-bottom was lost until they scrolled again.
      expect(t.productCalls().map((call) => call.options.params?.current)).toEqual([1, 2, 2]);
      expect(t.view.data.loadingMore).toBe(true);
      t.productCalls()[2].resolve(result(2, products(3, 3), 13));
      await settle();
      expect(ids(t)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
      expect(new Set(ids(t)).size).toBe(6);
      expect(t.view.data).toMatchObject({ loadingMore: false, hasMore: true, phase: 'ready' });
    });

    it('patches in place, asking for nothing, when the fresh page 1 holds the same items', async () => {
      const t = setup();
      const onUpdate = await twoPagesShown(t);
      const renamed = products(1, 3);
      renamed[0] = { ...renamed[0], title: 'renamed' };
      onUpdate(result(1, renamed, 12));
      await settle();
      expect(t.productCalls()).toHaveLength(2);
      expect(t.view.data.list).toHaveLength(6);
      expect(t.view.data.list[0].title).toBe('renamed');
    });

    it('keeps the fresh page 1 when the cached answer arrives after it', async () => {
      const t = setup();
      void t.controller.start();
      const first = t.productCalls()[0];
      first.options.cache!.onUpdate!(result(1, products(10, 3), 12));
      first.resolve(result(1, products(1, 3), 12));
      await settle();
      expect(ids(t)).toEqual(['p10', 'p11', 'p12']);
    });

    it('asks the server for later pages (never a stale cached page 2)', async () => {
      const t = setup();
      void t.controller.start();
      t.productCalls()[0].resolve(result(1, products(1, 3), 12));
      await settle();
      void t.controller.loadMore();
      expect(t.productCalls()[1].options).toMatchObject({ params: { current: 2 } });
      expect(t.productCalls()[1].options.cache).toBeUndefined();
    });

    it('does not retry a failed page on its own when page 1 is revalidated', async () => {
      const t = setup();
      void t.controller.start();
      const first = t.productCalls()[0];
      first.resolve(result(1, products(1, 3), 12));
      await settle();
      void t.controller.loadMore();
      t.productCalls()[1].reject(new AppError({ kind: 'network' }));
      await settle();
      first.options.cache!.onUpdate!(result(1, products(20, 3), 12));
      await settle();
      expect(t.productCalls()).toHaveLength(2);
      expect(t.view.data.footerError).toBe(true);
    });
  });

  describe('category tabs', () => {
    it('starts the list over in the chosen category and drops the old one’s load', async () => {
      const t = setup();
      void t.controller.start();
      t.productCalls()[0].resolve(result(1, products(1, 3), 12));
      await settle();
      void t.controller.loadMore();
      const oldPage2 = t.productCalls()[1];

      t.controller.selectCategory('rare');
      expect(oldPage2.options.signal?.aborted).toBe(true);
      expect(t.view.data).toMatchObject({ category: 'rare', list: [], phase: 'skeleton' });
      const rare = t.productCalls()[2];
      // Each category keeps its own stale-while-revalidate entry (the category is in the URL).
      expect(rare.options).toMatchObject({
        params: { current: 1, pageSize: 3, category: 'rare' },
        cache: { swr: true },
      });
      oldPage2.resolve(result(2, products(4, 3), 12)); // too late: ignored
      rare.resolve(result(1, products(50, 2), 2));
      await settle();
      expect(t.view.data.list.map((item) => item.id)).toEqual(['p50', 'p51']);
      expect(t.view.data).toMatchObject({ hasMore: false, loadingMore: false, phase: 'ready' });
      void t.controller.loadMore();
      expect(t.productCalls()).toHaveLength(3); // the short category has nothing more
    });

    it('keeps the category for the next pages and the search, and "all" drops it', async () => {
      const t = setup();
      void t.controller.start();
      t.controller.selectCategory('books');
      t.productCalls()[1].resolve(result(1, products(1, 3), 9));
      await settle();
      void t.controller.loadMore();
      expect(t.productCalls()[2].options.params).toMatchObject({ current: 2, category: 'books' });
      t.controller.onSearchInput('p');
      jest.advanceTimersByTime(300);
      expect(t.productCalls()[3].options.params).toMatchObject({ q: 'p', category: 'books' });
      t.controller.selectCategory('all');
      expect(t.view.data.category).toBe('all');
      expect(t.productCalls()[4].options.params).toMatchObject({ q: 'p', category: undefined });
    });

    it('ignores the tab already selected and anything that is not a tab', () => {
      const t = setup();
      void t.controller.start();
      t.controller.selectCategory('all');
      t.controller.selectCategory('weapons');
      t.controller.selectCategory('');
      expect(t.productCalls()).toHaveLength(1);
      expect(t.view.data.category).toBe('all');
    });
  });
});
