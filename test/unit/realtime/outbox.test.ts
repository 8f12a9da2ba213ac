import type { HttpLike, HttpRequestOptions } from '../../../miniprogram/utils/contracts';
import { AppError } from '../../../miniprogram/utils/errors';
import { ConnectivityStore } from '../../../miniprogram/utils/network';
import { MutationOutbox } from '../../../miniprogram/utils/outbox';
import type { OutboxItem, OutboxOptions, OutboxRequest } from '../../../miniprogram/utils/outbox';
import type { NetworkWx } from '../../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../fake-wx';
import { memoryStore } from './helpers';

type Outcome = 'ok' | 'lost-reply' | Error;

/** A server that applies each Idempotency-Key once, like POST /api/favorites. */
function fakeServer() {
  const applied = new Map<string, number>();
  const calls: HttpRequestOptions[] = [];
  const script: Outcome[] = [];
  let appliedCount = 0;
  const http: HttpLike = {
    async request<T>(options: HttpRequestOptions): Promise<T> {
      calls.push(options);
      await Promise.resolve();
      const outcome = script.shift() ?? 'ok';
      if (outcome instanceof Error) throw outcome;
      const key = options.idempotencyKey as string;
      if (!applied.has(key)) applied.set(key, ++appliedCount);
      if (outcome === 'lost-reply')
        throw new AppError({ kind: 'network', message: 'request:fail' });
      return { applied: applied.get(key), body: options.data } as T;
    },
  };
  return { http, applied, calls, script };
}

const networkError = () => new AppError({ kind: 'network', message: 'request:fail' });
const status = (code: number) =>
  new AppError({ kind: 'http', status: code, message: `HTTP ${code}` });
const favorite = (productId: string): OutboxRequest => ({
  method: 'POST',
  url: '/api/favorites',
  data: { productId },
  label: productId,
});

function setup(overrides: Partial<OutboxOptions> = {}, storage = memoryStore()) {
  const fake = createFakeWx();
  const connectivity = new ConnectivityStore({ wx: fake.wx as unknown as NetworkWx });
  connectivity.start();
  const server = fakeServer();
  const outbox = new MutationOutbox({
    http: server.http,
    connectivity,
    storage,
    backoff: { baseMs: 100, capMs: 1000, random: () => 0.5 },
    ...overrides,
  });
  const snapshots: Array<readonly OutboxItem[]> = [];
  outbox.subscribe((items) => snapshots.push(items));
  outbox.start();
  return { fake, connectivity, server, outbox, storage, snapshots };
}

const tick = (ms = 1) => jest.advanceTimersByTimeAsync(ms);

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('MutationOutbox', () => {
  it('sends at once when online, with an idempotency key, and keeps nothing persisted', async () => {
    const t = setup();
    await tick();
    const result = await t.outbox.submit<{ applied: number }>(favorite('p1'));
    expect(result).toMatchObject({ state: 'sent', data: { applied: 1 } });
    expect(t.server.calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/favorites',
      idempotencyKey: result.id,
      offline: 'fail',
    });
    expect(t.server.calls[0]).not.toHaveProperty('label');
    expect(t.storage.get('net.outbox')).toEqual([]);
    expect(t.outbox.items.map((i) => i.state)).toEqual(['sent']);
  });

  it('queues offline, persists, and replays in order once the network returns', async () => {
    const t = setup();
    t.fake.network.set('none');
    const results: Array<{ id: string; state: string }> = [];
    for (const id of ['p1', 'p2', 'p3']) results.push(await t.outbox.submit(favorite(id)));
    expect(results.map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
    expect(t.server.calls).toHaveLength(0);
    expect((t.storage.get('net.outbox') as OutboxItem[]).map((i) => i.request.label)).toEqual([
      'p1',
      'p2',
      'p3',
    ]);
    t.fake.network.set('wifi');
    await tick();
    expect(t.server.calls.map((c) => (c.data as { productId: string }).productId)).toEqual([
      'p1',
      'p2',
      'p3',
    ]);
    expect(t.server.calls.map((c) => c.idempotencyKey)).toEqual(results.map((r) => r.id));
    expect(t.outbox.items.map((i) => i.state)).toEqual(['sent', 'sent', 'sent']);
    expect(t.storage.get('net.outbox')).toEqual([]);
    // The UI saw queued → sending → sent.
    const states = t.snapshots.map((items) => items.find((i) => i.id === results[0].id)?.state);
    expect(states).toEqual(expect.arrayContaining(['queued', 'sending', 'sent']));
  });

  it('queues a mutation that fails on the network; the replay is applied exactly once', async () => {
    const t = setup();
    await tick();
    t.server.script.push('lost-reply'); // applied by the server, reply lost
    const result = await t.outbox.submit(favorite('p1'));
    expect(result.state).toBe('queued');
    await tick(100);
    expect(t.server.calls).toHaveLength(2);
    expect(t.server.calls[0].idempotencyKey).toBe(t.server.calls[1].idempotencyKey);
    expect(t.server.applied.size).toBe(1);
    expect(t.outbox.items[0].state).toBe('sent');
  });

  it('does not replay twice when flushes overlap', async () => {
    const t = setup();
    t.fake.network.set('none');
    await t.outbox.submit(favorite('p1'));
    await t.outbox.submit(favorite('p2'));
    t.fake.network.set('wifi');
    t.fake.network.set('none');
    t.fake.network.set('wifi');
    await Promise.all([t.outbox.flush(), t.outbox.flush()]);
    await tick();
    expect(t.server.calls).toHaveLength(2);
  });

  it('a network flap while a direct submit is in flight does not send it twice', async () => {
    const t = setup();
    await tick();
    const release: Array<() => void> = [];
    const original = t.server.http.request.bind(t.server.http);
    t.server.http.request = <T>(options: HttpRequestOptions) =>
      new Promise<T>((resolve, reject) => {
        release.push(() => original<T>(options).then(resolve, reject));
      });
    const pending = t.outbox.submit(favorite('p1'));
    await tick();
    t.fake.network.set('none');
    t.fake.network.set('wifi');
    await tick();
    expect(release).toHaveLength(1);
    release[0]();
    await expect(pending).resolves.toMatchObject({ state: 'sent' });
    await tick(10_000);
    expect(release).toHaveLength(1);
  });

  it('survives an app restart, including a request that was in flight', async () => {
    const storage = memoryStore();
    const first = setup({}, storage);
    await tick();
    first.server.http.request = () => new Promise(() => undefined); // hangs: app is killed mid-request
    void first.outbox.submit(favorite('p1'));
    first.fake.network.set('none');
    await first.outbox.submit(favorite('p2'));
    first.outbox.dispose();

    const second = setup({}, storage);
    await tick();
    expect(second.server.calls.map((c) => (c.data as { productId: string }).productId)).toEqual([
      'p1',
      'p2',
    ]);
    expect(second.outbox.items.map((i) => i.state)).toEqual(['sent', 'sent']);
  });

  it('fails a 4xx for good (rejecting a direct submit) and keeps the rest flowing', async () => {
    const t = setup();
    await tick();
    t.server.script.push(status(422));
    await expect(t.outbox.submit(favorite('bad'))).rejects.toMatchObject({ status: 422 });
    expect(t.outbox.items).toEqual([]);

    t.fake.network.set('none');
    await t.outbox.submit(favorite('p1'));
    await t.outbox.submit(favorite('p2'));
    t.server.script.push(new AppError({ kind: 'business', code: 'NOT_FOUND', message: 'gone' }));
    t.fake.network.set('wifi');
    await tick(60_000);
    expect(t.server.calls).toHaveLength(3); // p1 once (refused), p2 once: no retry loop
    expect(t.outbox.items.map((i) => i.state)).toEqual(['failed', 'sent']);
    expect(t.outbox.items[0].error).toMatchObject({ kind: 'business', code: 'NOT_FOUND' });
    // A failed item is persisted until the user retries or discards it.
    expect((t.storage.get('net.outbox') as OutboxItem[]).map((i) => i.state)).toEqual(['failed']);
    const failedId = t.outbox.items[0].id;
    expect(t.outbox.retry(failedId)).toBe(true);
    expect(t.outbox.retry(failedId)).toBe(false);
    await tick();
    expect(t.outbox.items.find((i) => i.id === failedId)?.state).toBe('sent');
  });

  it('retries 5xx with backoff, blocking later items to keep order, up to maxAttempts', async () => {
    const t = setup({ maxAttempts: 3 });
    t.fake.network.set('none');
    await t.outbox.submit(favorite('p1'));
    await t.outbox.submit(favorite('p2'));
    t.server.script.push(status(503), status(503), status(503));
    t.fake.network.set('wifi');
    await tick();
    expect(t.server.calls).toHaveLength(1);
    await tick(50); // backoff 0.5 * 100
    expect(t.server.calls).toHaveLength(2);
    await tick(100); // 0.5 * 200
    expect(t.server.calls).toHaveLength(4); // p1 failed after 3 attempts, then p2 sent
    expect(t.outbox.items.map((i) => i.state)).toEqual(['failed', 'sent']);
    expect(t.outbox.items[0]).toMatchObject({ attempts: 3, error: { status: 503 } });
    expect(t.outbox.discard(t.outbox.items[0].id)).toBe(true);
    expect(t.outbox.discard('nope')).toBe(false);
  });

  it('keeps network failures queued with growing backoff instead of failing them', async () => {
    const t = setup();
    t.fake.network.set('none');
    await t.outbox.submit(favorite('p1'));
    for (let i = 0; i < 8; i++) t.server.script.push(networkError());
    t.server.script.push(new Error('raw'));
    t.fake.network.set('wifi');
    await tick(10_000);
    expect(t.server.calls).toHaveLength(10);
    expect(t.outbox.items[0].state).toBe('sent');
  });

  it('bounds the outbox and validates requests', async () => {
    const t = setup({ maxItems: 2 });
    t.fake.network.set('none');
    await t.outbox.submit(favorite('p1'));
    await t.outbox.submit(favorite('p2'));
    await expect(t.outbox.submit(favorite('p3'))).rejects.toMatchObject({ code: 'OUTBOX_FULL' });
    await expect(
      t.outbox.submit({ method: 'GET', url: '/x' } as unknown as OutboxRequest),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(t.outbox.submit({ method: 'POST', url: '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it("uses the caller's idempotency key and does not queue the same key twice", async () => {
    const t = setup();
    t.fake.network.set('none');
    const first = await t.outbox.submit({ ...favorite('p1'), idempotencyKey: 'tap-1' });
    const again = await t.outbox.submit({ ...favorite('p1'), idempotencyKey: 'tap-1' });
    expect(first).toEqual({ state: 'queued', id: 'tap-1' });
    expect(again).toEqual({ state: 'queued', id: 'tap-1' });
    expect(t.outbox.items).toHaveLength(1);
    expect(t.outbox.items[0].request).not.toHaveProperty('idempotencyKey');
    t.fake.network.set('wifi');
    await tick();
    expect(t.server.calls.map((c) => c.idempotencyKey)).toEqual(['tap-1']);
    await expect(t.outbox.submit({ ...favorite('p2'), idempotencyKey: '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      t.outbox.submit({ ...favorite('p2'), idempotencyKey: 'k'.repeat(201) }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('keeps only the last few sent items for the UI', async () => {
    const t = setup({ keepSent: 2 });
    await tick();
    for (const id of ['a', 'b', 'c', 'd']) await t.outbox.submit(favorite(id));
    expect(t.outbox.items.map((i) => i.request.label)).toEqual(['c', 'd']);
  });

  it('ignores corrupt stored data and a sending item cannot be discarded', async () => {
    const storage = memoryStore();
    storage.set('net.outbox', [
      { nonsense: true },
      null,
      {
        id: 'x',
        createdAt: 1,
        attempts: 0,
        state: 'queued',
        request: { method: 'GET', url: '/x' },
      },
      {
        id: 'k1',
        createdAt: 1,
        attempts: 0,
        state: 'sending',
        request: { method: 'DELETE', url: '/api/favorites/p1' },
      },
      {
        id: 'k2',
        createdAt: 2,
        attempts: 1,
        state: 'failed',
        request: { method: 'POST', url: '/api/favorites' },
      },
    ]);
    const t = setup({}, storage);
    t.server.http.request = () => new Promise(() => undefined);
    expect(t.outbox.items.map((i) => [i.id, i.state])).toEqual([
      ['k1', 'sending'],
      ['k2', 'failed'],
    ]);
    expect(t.outbox.discard('k1')).toBe(false);
    t.outbox.stop();
    t.outbox.stop();
    const other = setup({}, memoryStore());
    other.storage.set('net.outbox', 'garbage');
    expect(
      new MutationOutbox({
        http: other.server.http,
        connectivity: other.connectivity,
        storage: other.storage,
      }).items,
    ).toEqual([]);
  });

  it('leaves no connectivity subscription after dispose', async () => {
    const t = setup();
    let subscribers = 0;
    const counting = {
      get state() {
        return t.connectivity.state;
      },
      subscribe(listener: Parameters<ConnectivityStore['subscribe']>[0]) {
        subscribers++;
        const off = t.connectivity.subscribe(listener);
        return () => {
          subscribers--;
          off();
        };
      },
      waitForOnline: () => Promise.resolve(),
    };
    const outbox = new MutationOutbox({
      http: t.server.http,
      connectivity: counting,
      storage: memoryStore(),
    });
    outbox.start();
    outbox.start();
    expect(subscribers).toBe(1);
    outbox.dispose();
    expect(subscribers).toBe(0);
  });
});
