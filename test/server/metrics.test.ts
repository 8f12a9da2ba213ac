import type { MetricsSummary, RequestMetric } from '../../typings/api';
import type { RunningServer } from '../../server/src/app';
import { bearer, call, login, running } from './helpers';

const metric = (endpoint: string, totalMs: number, ok = true): RequestMetric => ({
  endpoint,
  method: 'GET',
  status: ok ? 200 : 500,
  ok,
  queueMs: 0,
  loginMs: 0,
  networkMs: totalMs,
  totalMs,
  bytes: 100,
  cache: 'miss',
  retries: 0,
  at: 1,
});

describe('metrics', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await running();
    auth = bearer((await login(server)).token);
  });
  afterAll(() => server.close());

  const post = (payload: unknown) =>
    call<{ accepted: number }>(server, {
      method: 'POST',
      url: '/api/metrics',
      headers: auth,
      payload,
    });

  it('aggregates batches per endpoint with counts, errors and percentiles', async () => {
    const items = Array.from({ length: 100 }, (_, i) =>
      metric('/api/products', i + 1, i % 10 !== 0),
    );
    expect((await post({ app: { version: '1.0.0' }, items })).body.data).toEqual({ accepted: 100 });
    await post({ app: { version: '1.0.0', platform: 'devtools' }, items: [metric('/api/me', 5)] });
    const { body } = await call<MetricsSummary>(server, {
      method: 'GET',
      url: '/api/metrics/summary',
      headers: auth,
    });
    expect(body.data!.received).toBe(101);
    const products = body.data!.endpoints.find((e) => e.endpoint === '/api/products')!;
    expect(products).toMatchObject({ count: 100, errors: 10 });
    // Log buckets are ~8% wide: p50 ≈ 50, p99 ≈ 99.
    expect(products.p50).toBeGreaterThanOrEqual(48);
    expect(products.p50).toBeLessThanOrEqual(56);
    expect(products.p99).toBeGreaterThanOrEqual(97);
    expect(products.p99).toBeLessThanOrEqual(110);
    expect(products.p95).toBeLessThanOrEqual(products.p99);
  });

  it.each([
    [
      'too many items',
      { app: { version: '1' }, items: Array.from({ length: 201 }, () => metric('/x', 1)) },
    ],
    ['wrong types', { app: { version: '1' }, items: [{ ...metric('/x', 1), totalMs: 'fast' }] }],
    ['missing app', { items: [] }],
    ['negative time', { app: { version: '1' }, items: [metric('/x', -5)] }],
  ])('refuses %s with 400', async (_name, payload) => {
    const { res, body } = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(body.errorCode).toBe('BAD_REQUEST');
  });

  it('refuses a body over 256 KB with 413', async () => {
    const { res } = await post({ app: { version: '1' }, items: [], pad: 'x'.repeat(300 * 1024) });
    expect(res.statusCode).toBe(413);
  });

  it('needs a token', async () => {
    const { res } = await call(server, { method: 'GET', url: '/api/metrics/summary' });
    expect(res.statusCode).toBe(401);
  });
});
