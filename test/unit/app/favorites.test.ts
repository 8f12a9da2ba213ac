import { FavoritesStore } from '../../../miniprogram/services/favorites';
import type { FavoriteSink } from '../../../miniprogram/services/favorites';
import type { OutboxEvent, OutboxItemState } from '../../../miniprogram/services/ports';
import type { FavoriteMutation } from '../../../miniprogram/api/favorites';

function fakeOutbox(answer: (request: FavoriteMutation) => OutboxItemState | Error) {
  const listeners = new Set<(event: OutboxEvent) => void>();
  const submitted: Array<{ request: FavoriteMutation; tag: string; id: string }> = [];
  const sink: FavoriteSink = {
    async submit(request, tag) {
      const id = `o${submitted.length + 1}`;
      submitted.push({ request, tag, id });
      const state = answer(request);
      if (state instanceof Error) throw state;
      return { id, state };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (event: OutboxEvent) => listeners.forEach((listener) => listener(event));
  return { sink, submitted, emit, listeners };
}

let keys = 0;
const newKey = () => `k${++keys}`;

describe('FavoritesStore', () => {
  it('flips at once, sends POST with an idempotency key, and confirms when sent', async () => {
    const outbox = fakeOutbox(() => 'sent');
    const store = new FavoritesStore(outbox.sink, newKey);
    const changes: string[] = [];
    store.subscribe((change) =>
      changes.push(`${change.productId}:${change.favorite}:${change.reason}`),
    );

    const pending = store.toggle('p1');
    expect(store.isFavorite('p1')).toBe(true);
    await expect(pending).resolves.toBe('sent');
    expect(outbox.submitted[0].request).toMatchObject({
      method: 'POST',
      url: '/api/favorites',
      data: { productId: 'p1' },
      idempotencyKey: expect.any(String),
    });
    expect(outbox.submitted[0].tag).toBe('favorite:p1');
    expect(changes).toEqual(['p1:true:optimistic', 'p1:true:confirmed']);
    expect(store.isPending('p1')).toBe(false);
  });

  it('keeps a queued toggle optimistic and reconciles it when the replay succeeds', async () => {
    const outbox = fakeOutbox(() => 'queued');
    const store = new FavoritesStore(outbox.sink, newKey);
    store.load(['p2']);
    await expect(store.toggle('p2')).resolves.toBe('queued');
    expect(outbox.submitted[0].request).toMatchObject({
      method: 'DELETE',
      url: '/api/favorites/p2',
    });
    expect(store.isFavorite('p2')).toBe(false);
    expect(store.isPending('p2')).toBe(true);

    outbox.emit({ type: 'item', id: 'o1', state: 'sent', tag: 'favorite:p2' });
    expect(store.isPending('p2')).toBe(false);
    expect(store.isFavorite('p2')).toBe(false);
  });

  it('reverts a queued toggle the server refused on replay', async () => {
    const outbox = fakeOutbox(() => 'queued');
    const store = new FavoritesStore(outbox.sink, newKey);
    const reasons: string[] = [];
    store.subscribe((change) => reasons.push(change.reason));
    await store.toggle('p3');
    outbox.emit({ type: 'item', id: 'o1', state: 'failed', tag: 'favorite:p3' });
    expect(store.isFavorite('p3')).toBe(false);
    expect(reasons).toEqual(['optimistic', 'reverted']);
  });

  it('reverts when the submit itself fails', async () => {
    const outbox = fakeOutbox(() => new Error('boom'));
    const store = new FavoritesStore(outbox.sink, newKey);
    await expect(store.toggle('p4')).resolves.toBe('failed');
    expect(store.isFavorite('p4')).toBe(false);
  });

  it('lets the newest toggle decide when two are queued', async () => {
    const outbox = fakeOutbox(() => 'queued');
    const store = new FavoritesStore(outbox.sink, newKey);
    await store.toggle('p5'); // on (o1)
    await store.toggle('p5'); // off (o2)
    expect(store.isFavorite('p5')).toBe(false);
    outbox.emit({ type: 'item', id: 'o1', state: 'sent', tag: 'favorite:p5' });
    expect(store.isFavorite('p5')).toBe(false); // o2 still pending and wins
    outbox.emit({ type: 'item', id: 'o2', state: 'failed', tag: 'favorite:p5' });
    expect(store.isFavorite('p5')).toBe(true); // o1 was applied on the server
    expect(new Set(outbox.submitted.map((s) => s.request.idempotencyKey)).size).toBe(2);
  });

  it('ignores events of other items and unsubscribes on dispose', async () => {
    const outbox = fakeOutbox(() => 'queued');
    const store = new FavoritesStore(outbox.sink, newKey);
    outbox.emit({ type: 'count', pending: 1 });
    outbox.emit({ type: 'item', id: 'zz', state: 'sent' });
    outbox.emit({ type: 'item', id: 'zz', state: 'queued' });
    store.dispose();
    expect(outbox.listeners.size).toBe(0);
  });

  it('load reports changes for ids that were and are favorites', () => {
    const outbox = fakeOutbox(() => 'sent');
    const store = new FavoritesStore(outbox.sink, newKey);
    store.load(['a']);
    const seen: string[] = [];
    store.subscribe((change) => seen.push(`${change.productId}:${change.favorite}`));
    store.load(['b']);
    expect(seen.sort()).toEqual(['a:false', 'b:true']);
  });
});
