import { setApiHttp } from '../../../miniprogram/api/client';
import {
  INITIAL_DETAIL_DATA,
  ProductDetailController,
} from '../../../miniprogram/pages/product-detail/controller';
import { FavoritesStore } from '../../../miniprogram/services/favorites';
import type { OutboxItemState } from '../../../miniprogram/services/ports';
import { AppError, cancelledError } from '../../../miniprogram/utils/errors';
import type { Product, ProductDetail } from '../../../typings/api';
import { fakeHttp, fakeView, settle } from './page-fakes';

const product: Product = {
  id: 'p1',
  title: 'Lamp',
  category: 'home',
  price: 1990,
  imageUrl: '/img/p1.png',
  description: 'A lamp',
  createdAt: 0,
};
const detail = (favorite: boolean, title = 'Lamp'): ProductDetail => ({
  ...product,
  title,
  favorite,
});

function setup(outboxState: OutboxItemState = 'queued') {
  const http = fakeHttp();
  setApiHttp(http);
  const favorites = new FavoritesStore(
    {
      submit: async () => ({ id: 'o1', state: outboxState }),
      subscribe: () => () => undefined,
    },
    () => 'key',
  );
  const view = fakeView(INITIAL_DETAIL_DATA);
  const controller = new ProductDetailController(view, {
    apiBase: 'http://api',
    favorites,
    describeError: (error) => (error instanceof AppError ? `plain:${error.kind}` : 'plain'),
    missingText: 'missing',
  });
  return { http, favorites, view, controller };
}

describe('ProductDetailController', () => {
  it('paints the passed-ahead copy at once, then the fresh one', async () => {
    const t = setup();
    const started = t.controller.start('p1');
    expect(t.http.calls[0].options).toMatchObject({
      url: '/api/products/p1',
      // Nothing on screen yet: the page shows a failure itself, so no toast as well.
      skipErrorHandler: true,
    });
    t.controller.passedAhead(product);
    expect(t.view.data.product).toMatchObject({
      id: 'p1',
      imageUrl: 'http://api/img/p1.png',
      favorite: false,
    });
    expect(t.view.data.fresh).toBe(false);
    t.http.calls[0].resolve(detail(true, 'Lamp v2'));
    await started;
    expect(t.view.data).toMatchObject({
      fresh: true,
      failed: false,
      product: { title: 'Lamp v2', favorite: true },
    });
    // A late copy from the list does not overwrite the fresh one.
    t.controller.passedAhead(product);
    expect(t.view.data.product?.title).toBe('Lamp v2');
  });

  it('over a copy on screen, a failed refresh is told by the toast', async () => {
    const t = setup();
    const first = t.controller.start('p1');
    t.controller.passedAhead(product);
    t.http.calls[0].resolve(detail(false));
    await first;
    void t.controller.refresh();
    expect(t.http.calls[1].options.skipErrorHandler).toBe(false);
  });

  it('ignores a passed-ahead copy of another product', () => {
    const t = setup();
    void t.controller.start('p1');
    t.controller.passedAhead({ ...product, id: 'p2' });
    expect(t.view.data.product).toBeNull();
  });

  it('a failure keeps a passed-ahead copy on screen; with nothing shown it says why', async () => {
    const kept = setup();
    const first = kept.controller.start('p1');
    kept.controller.passedAhead(product);
    kept.http.calls[0].reject(new AppError({ kind: 'network', message: 'down' }));
    await first;
    expect(kept.view.data).toMatchObject({ failed: false, product: { id: 'p1' } });

    const empty = setup();
    const second = empty.controller.start('p1');
    empty.http.calls[0].reject(new AppError({ kind: 'network', message: 'down' }));
    await second;
    expect(empty.view.data).toMatchObject({ failed: true, errorText: 'plain:network' });
  });

  it('retry clears the error and loads again', async () => {
    const t = setup();
    const first = t.controller.start('p1');
    t.http.calls[0].reject(new AppError({ kind: 'timeout', message: 'slow' }));
    await first;
    const retried = t.controller.retry();
    expect(t.view.data).toMatchObject({ failed: false, errorText: '' });
    expect(t.http.calls[1].options.skipErrorHandler).toBe(true);
    t.http.calls[1].resolve(detail(false));
    await retried;
    expect(t.view.data).toMatchObject({ failed: false, fresh: true, product: { id: 'p1' } });
  });

  it('without an id says it could not load, and sends nothing', async () => {
    const t = setup();
    await t.controller.start('');
    expect(t.http.calls).toHaveLength(0);
    expect(t.view.data).toMatchObject({ failed: true, errorText: 'missing' });
  });

  it('a toggle starts from what the server said and shows at once', async () => {
    const t = setup('queued');
    const started = t.controller.start('p1');
    t.http.calls[0].resolve(detail(true));
    await started;
    expect(t.favorites.isFavorite('p1')).toBe(true); // the store learned it
    await expect(t.controller.toggleFavorite()).resolves.toBe('queued');
    expect(t.view.data.product?.favorite).toBe(false);
  });

  it('an unsettled toggle wins over the server copy that arrives meanwhile', async () => {
    const t = setup('queued');
    const started = t.controller.start('p1');
    t.controller.passedAhead(product);
    await t.controller.toggleFavorite(); // queued offline: favorite now
    t.http.calls[0].resolve(detail(false));
    await started;
    expect(t.view.data.product?.favorite).toBe(true);
  });

  it('toggling with nothing shown does nothing', async () => {
    const t = setup();
    void t.controller.start('p1');
    await expect(t.controller.toggleFavorite()).resolves.toBeUndefined();
  });

  it('previews the absolute image url', () => {
    const t = setup();
    void t.controller.start('p1');
    expect(t.controller.previewUrl()).toBeUndefined();
    t.controller.passedAhead(product);
    expect(t.controller.previewUrl()).toBe('http://api/img/p1.png');
  });

  it('stop cancels the request and leaves the page alone', async () => {
    const t = setup();
    const started = t.controller.start('p1');
    t.controller.stop();
    const call = t.http.calls[0];
    expect(call.options.signal?.aborted).toBe(true);
    // The http client rejects a cancelled request; the page shows nothing for it.
    call.reject(cancelledError('page closed'));
    await started;
    await settle();
    expect(t.view.data).toEqual(INITIAL_DETAIL_DATA);
    // Favorite changes elsewhere no longer reach it either.
    const patches = t.view.patches.length;
    void t.favorites.toggle('p1');
    expect(t.view.patches).toHaveLength(patches);
  });
});

describe('FavoritesStore.learn', () => {
  it('adopts the server state for one product and tells listeners, unless a toggle is pending', async () => {
    const t = setup('queued');
    const changes: string[] = [];
    t.favorites.subscribe((change) => changes.push(`${change.favorite}:${change.reason}`));
    t.favorites.learn('p1', true);
    t.favorites.learn('p1', true); // no change, no event
    expect(t.favorites.isFavorite('p1')).toBe(true);
    expect(changes).toEqual(['true:loaded']);
    await t.favorites.toggle('p1'); // pending: false
    t.favorites.learn('p1', true);
    expect(t.favorites.isFavorite('p1')).toBe(false);
    expect(changes).toEqual(['true:loaded', 'false:optimistic']);
  });
});
