import { CancelSource } from '../../../miniprogram/utils/cancel';
import { ConnectivityStore, latencyFeed } from '../../../miniprogram/utils/network';
import type { ConnectivityState } from '../../../miniprogram/utils/contracts';
import type { NetworkWx } from '../../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../fake-wx';
import { flushMicrotasks } from './helpers';
import type { RequestMetric } from '../../../typings/api';

function setup(options: ConstructorParameters<typeof ConnectivityStore>[0] = {}) {
  const fake = createFakeWx();
  const store = new ConnectivityStore({ wx: fake.wx as unknown as NetworkWx, ...options });
  const states: ConnectivityState[] = [];
  store.subscribe((state) => states.push(state));
  return { fake, store, states };
}

const metric = (networkMs: number, extra: Partial<RequestMetric> = {}): RequestMetric => ({
  endpoint: 'GET /api/x',
  method: 'GET',
  status: 200,
  ok: true,
  queueMs: 0,
  loginMs: 0,
  networkMs,
  totalMs: networkMs,
  bytes: 1,
  cache: 'miss',
  retries: 0,
  at: 0,
  ...extra,
});

describe('ConnectivityStore', () => {
  it('starts optimistic, reads the initial type, then follows changes', async () => {
    const { fake, store, states } = setup();
    expect(store.state).toEqual({ online: true, networkType: 'unknown', weak: false });
    fake.network.set('4g');
    store.start();
    store.start(); // idempotent: one registration
    expect(fake.network.listenerCount).toBe(1);
    await flushMicrotasks();
    expect(store.networkType).toBe('4g');
    expect(store.isOnline).toBe(true);
    fake.network.set('none');
    expect(store.isOnline).toBe(false);
    expect(store.weak).toBe(false);
    fake.network.set('3g');
    expect(store.weak).toBe(true);
    fake.network.set('wifi');
    expect(store.weak).toBe(false);
    expect(states.map((s) => s.networkType)).toEqual(['4g', 'none', '3g', 'wifi']);
  });

  it('reports offline at start when getNetworkType says none', async () => {
    const { fake, store } = setup();
    fake.network.set('none');
    store.start();
    await flushMicrotasks();
    expect(store.state).toEqual({ online: false, networkType: 'none', weak: false });
  });

  it('keeps a change event that arrived before the initial answer', async () => {
    const { fake, store } = setup();
    store.start();
    fake.network.set('none'); // event first, stale getNetworkType answer after
    await flushMicrotasks();
    expect(store.networkType).toBe('none');
  });

  it('survives a failing getNetworkType', () => {
    const wx: NetworkWx = {
      getNetworkType: (options) => options.fail?.({ errMsg: 'getNetworkType:fail' }),
      onNetworkStatusChange: () => undefined,
      offNetworkStatusChange: () => undefined,
    };
    const store = new ConnectivityStore({ wx });
    store.start();
    expect(store.state.online).toBe(true);
  });

  it('unregisters from wx on stop and drops subscribers on dispose', () => {
    const { fake, store, states } = setup();
    store.start();
    store.stop();
    store.stop();
    expect(fake.network.listenerCount).toBe(0);
    fake.network.set('none');
    expect(states).toEqual([]);
    for (let i = 0; i < 3; i++) {
      store.start();
      store.stop();
    }
    expect(fake.network.listenerCount).toBe(0);
    const unsubscribe = store.subscribe(() => undefined);
    unsubscribe();
    store.start();
    store.dispose();
    expect(fake.network.listenerCount).toBe(0);
    fake.network.set('wifi');
    expect(states).toEqual([]);
  });

  it('flags a weak network from measured latency fed by the monitor', () => {
    const { store } = setup({ weakLatencyMs: 1000, latencySmoothing: 0.5 });
    const sink = latencyFeed(store);
    sink.record(metric(3000, { cache: 'hit' })); // cache hits measure nothing
    sink.record(metric(3000, { ok: false }));
    expect(store.weak).toBe(false);
    sink.record(metric(3000));
    expect(store.weak).toBe(true);
    sink.record(metric(100)); // 1550
    expect(store.weak).toBe(true);
    sink.record(metric(100)); // 825
    expect(store.weak).toBe(false);
    store.reportLatency(Number.NaN);
    store.reportLatency(-5);
    expect(store.weak).toBe(false);
  });

  it('waitForOnline resolves at once when online, later when the network returns, and aborts', async () => {
    const { fake, store } = setup();
    store.start();
    await flushMicrotasks();
    await expect(store.waitForOnline()).resolves.toBeUndefined();
    fake.network.set('none');
    let resolved = false;
    const waiting = store.waitForOnline().then(() => {
      resolved = true;
    });
    fake.network.set('2g');
    await waiting;
    expect(resolved).toBe(true);

    fake.network.set('none');
    const source = new CancelSource();
    const aborted = store.waitForOnline(source.signal);
    source.cancel('page unloaded');
    await expect(aborted).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(store.waitForOnline(source.signal)).rejects.toMatchObject({ kind: 'cancelled' });
    // The aborted waiter unsubscribed: only the test's own subscription is left.
    fake.network.set('wifi');
  });
});
