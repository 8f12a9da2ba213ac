import { OutboxAdapter } from '../../../miniprogram/services/outbox-adapter';
import type { OutboxSource, OutboxSourceItem } from '../../../miniprogram/services/outbox-adapter';
import type { OutboxEvent } from '../../../miniprogram/services/ports';

function fakeSource(initial: OutboxSourceItem[] = []) {
  let items = initial;
  const listeners = new Set<(items: readonly OutboxSourceItem[]) => void>();
  const discarded: string[] = [];
  let nextAnswer: 'sent' | 'queued' = 'sent';
  let counter = 0;
  const source: OutboxSource = {
    get items() {
      return items;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async submit<T>() {
      counter += 1;
      const id = `i${counter}`;
      return nextAnswer === 'sent'
        ? { state: 'sent' as const, id, data: { ok: true } as T }
        : { state: 'queued' as const, id };
    },
    discard(id) {
      discarded.push(id);
      items = items.filter((item) => item.id !== id);
      return true;
    },
  };
  return {
    source,
    discarded,
    answer(state: 'sent' | 'queued') {
      nextAnswer = state;
    },
    set(next: OutboxSourceItem[]) {
      items = next;
      listeners.forEach((listener) => listener(items));
    },
  };
}

const item = (id: string, state: OutboxSourceItem['state'], label?: string): OutboxSourceItem => ({
  id,
  state,
  request: { label },
});

describe('OutboxAdapter', () => {
  it('counts pending items and reports "flushed N" once every queued action went out', async () => {
    const fake = fakeSource();
    const adapter = new OutboxAdapter(fake.source);
    const events: OutboxEvent[] = [];
    adapter.subscribe((event) => events.push(event));

    fake.answer('queued');
    await adapter.submit({ method: 'POST', url: '/a', idempotencyKey: 'k1' }, 'favorite:a');
    await adapter.submit({ method: 'DELETE', url: '/b', idempotencyKey: 'k2' }, 'favorite:b');
    fake.set([item('i1', 'queued', 'favorite:a'), item('i2', 'queued', 'favorite:b')]);
    expect(adapter.pending).toBe(2);

    fake.set([item('i1', 'sending', 'favorite:a'), item('i2', 'queued', 'favorite:b')]);
    fake.set([item('i1', 'sent', 'favorite:a'), item('i2', 'queued', 'favorite:b')]);
    expect(events.filter((event) => event.type === 'flushed')).toEqual([]);
    fake.set([item('i1', 'sent', 'favorite:a'), item('i2', 'sent', 'favorite:b')]);

    expect(events).toContainEqual({ type: 'item', id: 'i1', state: 'sent', tag: 'favorite:a' });
    expect(events).toContainEqual({ type: 'count', pending: 0 });
    expect(events.filter((event) => event.type === 'flushed')).toEqual([
      { type: 'flushed', sent: 2 },
    ]);
  });

  it('does not count actions that were sent at once as flushed', async () => {
    const fake = fakeSource();
    const adapter = new OutboxAdapter(fake.source);
    const events: OutboxEvent[] = [];
    adapter.subscribe((event) => events.push(event));
    await expect(
      adapter.submit({ method: 'POST', url: '/a', idempotencyKey: 'k' }, 't'),
    ).resolves.toEqual({ id: 'i1', state: 'sent', result: { ok: true } });
    fake.set([item('i1', 'sending')]);
    fake.set([item('i1', 'sent')]);
    expect(events.some((event) => event.type === 'flushed')).toBe(false);
  });

  it('counts items left from a previous run and items that bounced back to the queue', () => {
    const fake = fakeSource([item('old', 'queued')]);
    const adapter = new OutboxAdapter(fake.source);
    expect(adapter.pending).toBe(1);
    const events: OutboxEvent[] = [];
    adapter.subscribe((event) => events.push(event));
    fake.set([item('old', 'queued'), item('new', 'sending')]);
    fake.set([item('old', 'queued'), item('new', 'queued')]);
    expect(events).toContainEqual({ type: 'item', id: 'new', state: 'queued', tag: undefined });
    fake.set([item('old', 'sent'), item('new', 'failed')]);
    expect(events).toContainEqual({ type: 'item', id: 'new', state: 'failed', tag: undefined });
    expect(events.filter((event) => event.type === 'flushed')).toEqual([
      { type: 'flushed', sent: 1 },
    ]);
  });

  it('refuses a non-mutation and clears unsent items on logout', async () => {
    const fake = fakeSource([item('a', 'queued'), item('b', 'sent'), item('c', 'failed')]);
    const adapter = new OutboxAdapter(fake.source);
    await expect(adapter.submit({ method: 'GET', url: '/x', idempotencyKey: 'k' })).rejects.toThrow(
      'not a mutation',
    );
    adapter.clear();
    expect(fake.discarded).toEqual(['a', 'c']);
    adapter.dispose();
  });
});
