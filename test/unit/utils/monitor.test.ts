import type { MetricsBatch, RequestMetric } from '../../../typings/api';
import { endpointPattern, collectionPath } from '../../../miniprogram/utils/endpoint';
import { Histogram, Monitor, redact } from '../../../miniprogram/utils/monitor';
import { serverMetricsReporter } from '../../../miniprogram/utils/http';
import { TestConnectivity } from './fake-connectivity';
import { envelope, setup } from './helpers';

function metric(totalMs: number, extra: Partial<RequestMetric> = {}): RequestMetric {
  return {
    endpoint: '/api/products/:id',
    method: 'GET',
    status: 200,
    ok: true,
    queueMs: 0,
    loginMs: 0,
    networkMs: totalMs,
    totalMs,
    bytes: 100,
    cache: 'miss',
    retries: 0,
    at: 0,
    ...extra,
  };
}

describe('monitor', () => {
  it('records queue wait, login wait, network time, status, bytes, cache and retries per request', async () => {
    const reported: MetricsBatch[] = [];
    const monitor = new Monitor({
      reporter: async (batch) => void reported.push(batch),
      batchSize: 4,
    });
    const { fake, client } = setup({ monitor });
    let calls = 0;
    fake.server.on('GET', '/api/products/:id', () =>
      ++calls === 1
        ? { status: 503, data: '' }
        : { data: envelope({ id: 1 }), header: { 'Content-Length': '42' } },
    );
    await client.get('/api/products/p001');
    await client.get('/api/products/p002', { cache: { ttl: 60_000 } });
    await client.get('/api/products/p002', { cache: { ttl: 60_000 } });
    const [login, first, second, third] = reported[0].items;
    expect(login).toMatchObject({ endpoint: '/api/auth/login', method: 'POST' });
    expect(first).toMatchObject({
      endpoint: '/api/products/:id',
      method: 'GET',
      status: 200,
      ok: true,
      retries: 1,
      bytes: 42,
      cache: 'bypass',
    });
    expect(first.loginMs).toBeGreaterThanOrEqual(0);
    expect(first.networkMs).toBeGreaterThanOrEqual(0);
    expect(first.totalMs).toBeGreaterThanOrEqual(first.networkMs);
    expect(second.cache).toBe('miss');
    expect(third).toMatchObject({ cache: 'hit', status: 200 });
    const snapshot = monitor.snapshot();
    expect(snapshot.endpoints).toEqual([
      expect.objectContaining({ endpoint: 'POST /api/auth/login', count: 1 }),
      expect.objectContaining({
        endpoint: 'GET /api/products/:id',
        count: 3,
        errors: 0,
        cacheHits: 1,
        retries: 1,
      }),
    ]);
    expect(snapshot.totals).toMatchObject({ count: 4, cacheHits: 1, retries: 1 });
    expect(snapshot.recent).toHaveLength(4);
  });

  it('records failures with their error kind, and skips untracked requests', async () => {
    const monitor = new Monitor();
    const { fake, client } = setup({ monitor, session: false, errorPolicy: false });
    fake.server.on('GET', '/api/x', { status: 404, data: '' });
    await client.get('/api/x').catch(() => undefined);
    await client.get('/api/x', { track: false }).catch(() => undefined);
    expect(monitor.snapshot().recent).toEqual([
      expect.objectContaining({ ok: false, errorKind: 'http', status: 404 }),
    ]);
    expect(monitor.snapshot().endpoints[0]).toMatchObject({ errors: 1, errorRate: 1 });
  });

  it('computes p50/p95/p99 from a bounded histogram', () => {
    const monitor = new Monitor();
    for (let i = 1; i <= 1000; i++) monitor.record(metric(i));
    const [stats] = monitor.snapshot().endpoints;
    expect(stats.p50).toBeGreaterThan(400);
    expect(stats.p50).toBeLessThan(640);
    expect(stats.p95).toBeGreaterThan(900);
    expect(stats.p99).toBeLessThanOrEqual(1000);
    const histogram = new Histogram();
    expect(histogram.quantile(0.5)).toBe(0);
    for (let i = 0; i < 100_000; i++) histogram.record(i % 5000);
    expect(Histogram.sizeBytes).toBeLessThan(1024); // fixed, whatever the traffic
    expect(histogram.count).toBe(100_000);
    histogram.record(10_000_000);
    expect(histogram.quantile(1)).toBe(10_000_000);
  });

  it('keeps the latest metrics, oldest first, in a bounded ring', () => {
    const monitor = new Monitor({ recentCapacity: 3 });
    for (let i = 1; i <= 5; i++) monitor.record(metric(i));
    expect(monitor.snapshot().recent.map((m) => m.totalMs)).toEqual([3, 4, 5]);
  });

  it('bounds the number of endpoints and the slow-request ring buffer', () => {
    const monitor = new Monitor({ maxEndpoints: 3, slowCapacity: 2, slowThresholdMs: 100 });
    for (let i = 0; i < 10; i++) monitor.record(metric(5, { endpoint: `/e${i}` }));
    expect(monitor.snapshot().endpoints.map((e) => e.endpoint)).toEqual([
      'GET /e0',
      'GET /e1',
      'GET /e2',
      'other',
    ]);
    for (const totalMs of [50, 300, 200, 400]) {
      monitor.noteSlow({
        endpoint: '/x',
        url: '/x?token=abc',
        method: 'GET',
        totalMs,
        status: 200,
        traceId: 't',
        at: 0,
      });
    }
    const slowest = monitor.snapshot().slowest;
    expect(slowest.map((s) => s.totalMs)).toEqual([400, 200]);
    expect(slowest[0].url).toBe('/x?token=***');
    monitor.reset();
    expect(monitor.snapshot()).toEqual({
      totals: { count: 0, errors: 0, cacheHits: 0, retries: 0, bytes: 0 },
      endpoints: [],
      slowest: [],
      recent: [],
    });
  });

  it('redacts tokens and session values', () => {
    expect(redact('/api/x?a=1&token=secret&code=abc')).toBe('/api/x?a=1&token=***&code=***');
    expect(redact('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer ***');
    const monitor = new Monitor();
    monitor.record(metric(1, { endpoint: '/api/x?session=s3cret' }));
    expect(JSON.stringify(monitor.snapshot())).not.toContain('s3cret');
  });

  it('reports in batches, samples, flushes on a timer, and survives a failing reporter', async () => {
    jest.useFakeTimers();
    try {
      const batches: MetricsBatch[] = [];
      const monitor = new Monitor({
        reporter: async (batch) => void batches.push(batch),
        batchSize: 10,
        flushIntervalMs: 1000,
        sampleRate: 0.5,
        random: (() => {
          let i = 0;
          return () => (i++ % 2 === 0 ? 0.1 : 0.9);
        })(),
        app: { version: '1.2.3' },
      });
      for (let i = 0; i < 6; i++) monitor.record(metric(i));
      expect(batches).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1000);
      expect(batches).toHaveLength(1);
      expect(batches[0].items).toHaveLength(3); // half sampled
      expect(batches[0].app.version).toBe('1.2.3');
      expect(monitor.snapshot().totals.count).toBe(6); // all counted locally

      const failing = new Monitor({
        reporter: async () => Promise.reject(new Error('down')),
        batchSize: 1,
      });
      failing.record(metric(1));
      await jest.advanceTimersByTimeAsync(0);
      expect(failing.reportErrors).toBe(1);
      await failing.flush(); // nothing pending: no call
      const bounded = new Monitor({
        reporter: async () => undefined,
        batchSize: 1000,
        maxPending: 5,
      });
      for (let i = 0; i < 20; i++) bounded.record(metric(i));
      bounded.reset();
    } finally {
      jest.useRealTimers();
    }
  });

  it('the server reporter posts the batch untracked, without error UI', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.ok('POST', '/api/metrics', { accepted: 1 });
    await serverMetricsReporter(client)({ app: { version: '1' }, items: [metric(1)] });
    expect(fake.server.log[0]).toMatchObject({ method: 'POST', path: '/api/metrics' });
    expect(client.monitor?.snapshot().totals.count).toBe(0);
  });

  it('collapses ids into endpoint patterns', () => {
    expect(endpointPattern('https://h/api/products/p001?x=1')).toBe('/api/products/:id');
    expect(endpointPattern('/api/v2/uploads/chunked/abc123/chunks/7')).toBe(
      '/api/v2/uploads/chunked/:id/chunks/:id',
    );
    expect(endpointPattern('')).toBe('/');
    expect(collectionPath('/api/favorites/p001')).toBe('/api/favorites');
    expect(collectionPath('/api/favorites')).toBe('/api/favorites');
    expect(collectionPath('/')).toBe('/');
  });

  it('raises timeouts on a weak network', async () => {
    const connectivity = new TestConnectivity();
    connectivity.set(true, true);
    const { fake, client } = setup({ session: false, connectivity, timeout: 1000 });
    fake.server.ok('GET', '/api/x', 1);
    await client.get('/api/x');
    expect(fake.server.log[0].timeout).toBe(2000 + 1000);
  });
});
