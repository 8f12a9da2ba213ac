import type { MetricsBatch, RequestMetric } from '../../../typings/api';
import { endpointPattern, collectionPath } from '../../../miniprogram/utils/endpoint';
import { AppError } from '../../../miniprogram/utils/errors';
import {
  Monitor,
  monitorStage,
  newStats,
  quantile,
  redact,
  tally,
} from '../../../miniprogram/utils/monitor';
import type { RequestContext } from '../../../miniprogram/utils/request-context';
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
    const monitor = new Monitor({ reporter: async (batch) => void reported.push(batch) });
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
    await monitor.flush();
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

  it('records any failure (even a rejection with undefined) and keeps slow ones with their trace id', async () => {
    const monitor = new Monitor({ slowThresholdMs: 40 });
    const stage = monitorStage(monitor, () => 50);
    const ctx = {
      options: {},
      method: 'GET',
      path: '/api/x/1?token=t0ken',
      traceId: 'trace-1',
      startedAt: 0,
      timings: { queueMs: 1, loginMs: 2, networkMs: 3 },
      bytes: 0,
      cache: 'bypass',
      retries: 0,
    } as unknown as RequestContext;
    await expect(stage(ctx, () => Promise.reject(undefined))).rejects.toBeUndefined();
    const offline = new AppError({ kind: 'offline' });
    await expect(stage(ctx, () => Promise.reject(offline))).rejects.toBe(offline);
    const { recent, slowest } = monitor.snapshot();
    expect(recent).toEqual([
      expect.objectContaining({
        ok: false,
        errorKind: 'unknown',
        status: 0,
        endpoint: '/api/x/:id',
      }),
      expect.objectContaining({ ok: false, errorKind: 'offline', status: 0, totalMs: 50 }),
    ]);
    expect(recent[0]).toMatchObject({ queueMs: 1, loginMs: 2, networkMs: 3 });
    expect(slowest[0]).toMatchObject({ url: '/api/x/1?token=***', traceId: 'trace-1' });
    expect(JSON.stringify(monitor.snapshot())).not.toContain('t0ken');
  });

  it('computes p50/p95/p99 from a bounded histogram', () => {
    const monitor = new Monitor();
    for (let i = 1; i <= 1000; i++) monitor.record(metric(i));
    const [stats] = monitor.snapshot().endpoints;
    expect(stats.p50).toBeGreaterThan(400);
    expect(stats.p50).toBeLessThan(640);
    expect(stats.p95).toBeGreaterThan(900);
    expect(stats.p99).toBeLessThanOrEqual(1000);
    const histogram = newStats();
    expect(quantile(histogram, 0.5)).toBe(0);
    for (let i = 0; i < 100_000; i++) tally(histogram, metric(i % 5000));
    expect(histogram.buckets.byteLength).toBeLessThan(1024); // fixed, whatever the traffic
    expect(histogram.totals.count).toBe(100_000);
    tally(histogram, metric(10_000_000));
    expect(quantile(histogram, 1)).toBe(10_000_000);
  });

  it('keeps the latest metrics, oldest first, in a bounded ring', () => {
    const monitor = new Monitor({ recentCapacity: 3 });
    for (let i = 1; i <= 5; i++) monitor.record(metric(i));
    expect(monitor.snapshot().recent.map((m) => m.totalMs)).toEqual([3, 4, 5]);
  });

  it('bounds the number of endpoints and the slow-request ring buffer', () => {
    const monitor = new Monitor({ slowThresholdMs: 100 });
    for (let i = 0; i < 110; i++) monitor.record(metric(5, { endpoint: `/e${i}` }));
    expect(monitor.snapshot().endpoints.map((e) => e.endpoint)).toEqual([
      ...Array.from({ length: 100 }, (_, i) => `GET /e${i}`),
      'other',
    ]);
    expect(monitor.snapshot().endpoints[100].count).toBe(10);
    // The ring keeps the latest 20 slow requests: 50 is not slow, 300 is pushed out.
    for (const totalMs of [50, 300, ...Array<number>(19).fill(200), 400]) {
      monitor.noteSlow(metric(totalMs, { endpoint: '/x' }), '/x?token=abc', 't');
    }
    const slowest = monitor.snapshot().slowest;
    expect(slowest.map((s) => s.totalMs)).toEqual([400, ...Array<number>(19).fill(200)]);
    expect(slowest[0]).toMatchObject({ url: '/x?token=***', traceId: 't', endpoint: '/x' });
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
      let draws = 0;
      jest.spyOn(Math, 'random').mockImplementation(() => (draws++ % 2 === 0 ? 0.1 : 0.9));
      const monitor = new Monitor({
        reporter: async (batch) => void batches.push(batch),
        sampleRate: 0.5,
        app: { version: '1.2.3' },
      });
      for (let i = 0; i < 6; i++) monitor.record(metric(i));
      expect(batches).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(9999);
      expect(batches).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(batches).toHaveLength(1);
      expect(batches[0].items).toHaveLength(3); // half sampled
      expect(batches[0].app.version).toBe('1.2.3');
      expect(monitor.snapshot().totals.count).toBe(6); // all counted locally

      jest.mocked(Math.random).mockReturnValue(0);
      const failingReporter = jest.fn(async (_batch: MetricsBatch) =>
        Promise.reject(new Error('down')),
      );
      const failing = new Monitor({ reporter: failingReporter });
      // A full batch (20) goes at once, without waiting for the timer.
      for (let i = 0; i < 20; i++) failing.record(metric(i));
      await jest.advanceTimersByTimeAsync(0);
      expect(failingReporter).toHaveBeenCalledTimes(1);
      expect(failingReporter.mock.calls[0][0].items).toHaveLength(20);
      expect(failing.reportErrors).toBe(1);
      await failing.flush(); // nothing pending: no call
      expect(failingReporter).toHaveBeenCalledTimes(1);
      // Reset drops what is pending and stops the timer.
      failing.record(metric(1));
      failing.reset();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(failingReporter).toHaveBeenCalledTimes(1);
    } finally {
      jest.restoreAllMocks();
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
    expect(collectionPath('')).toBe('/');
    // The memo is bounded (cleared when full) and stays correct across that.
    for (let i = 0; i < 600; i++) expect(endpointPattern(`/api/items/${i}`)).toBe('/api/items/:id');
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
