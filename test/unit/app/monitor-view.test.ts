import { CHART_BARS, monitorView } from '../../../miniprogram/services/monitor-view';
import type { RequestMetric } from '../../../typings/api';

function metric(totalMs: number, ok = true, endpoint = '/api/products'): RequestMetric {
  return {
    endpoint,
    method: 'GET',
    status: ok ? 200 : 500,
    ok,
    queueMs: 0,
    loginMs: 0,
    networkMs: totalMs,
    totalMs,
    bytes: 10,
    cache: 'miss',
    retries: 0,
    at: Date.UTC(2026, 0, 1, 8, 0),
  };
}

describe('monitorView', () => {
  it('says empty when nothing was recorded', () => {
    const view = monitorView({
      totals: { count: 0, errors: 0, cacheHits: 0, retries: 0 },
      endpoints: [],
      slowest: [],
      recent: [],
    });
    expect(view.empty).toBe(true);
    expect(view.totals).toEqual({ requests: 0, errorRate: '—', cacheHitRate: '—', retries: 0 });
  });

  it('reads totals, orders endpoints by traffic and formats each row', () => {
    const view = monitorView({
      totals: { count: 10, errors: 2, cacheHits: 4, retries: 3 },
      endpoints: [
        {
          endpoint: 'GET /api/me',
          count: 2,
          errors: 0,
          p50: 20,
          p95: 30,
          cacheHits: 2,
          retries: 0,
        },
        {
          endpoint: 'GET /api/products',
          count: 8,
          errors: 2,
          p50: 120,
          p95: 1500,
          cacheHits: 2,
          retries: 3,
        },
      ],
      slowest: [metric(90), metric(1500, false), metric(300)],
      recent: [metric(100), metric(400, false)],
    });
    expect(view.totals).toEqual({
      requests: 10,
      errorRate: '20%',
      cacheHitRate: '40%',
      retries: 3,
    });
    expect(view.endpoints[0]).toEqual({
      endpoint: 'GET /api/products',
      count: 8,
      errorRate: '25%',
      p50: '120 ms',
      p95: '1.50 s',
      cacheHitRate: '25%',
      retries: 3,
      hasErrors: true,
    });
    expect(view.slowest.map((row) => row.duration)).toEqual(['1.50 s', '300 ms', '90 ms']);
    expect(view.slowest[0].label).toBe('GET /api/products');
    expect(view.bars).toEqual([
      { heightPct: 25, ok: true, label: '100 ms' },
      { heightPct: 100, ok: false, label: '400 ms' },
    ]);
  });

  it('keeps only the latest bars and never draws a bar of zero height', () => {
    const recent = Array.from({ length: CHART_BARS + 10 }, (_, i) => metric(i === 0 ? 10_000 : 1));
    const view = monitorView({
      totals: { count: 0, errors: 0, cacheHits: 0, retries: 0 },
      endpoints: [],
      slowest: [{ ...metric(5), endpoint: 'GET /api/me' }],
      recent,
    });
    expect(view.slowest[0].label).toBe('GET /api/me');
    expect(view.bars).toHaveLength(CHART_BARS);
    expect(view.bars.every((bar) => bar.heightPct >= 4)).toBe(true);
  });
});

describe('monitorView app errors', () => {
  it('lists the latest app errors first, at most five', () => {
    const appErrors = Array.from({ length: 7 }, (_, i) => ({
      source: 'onError',
      message: `e${i}`,
      at: Date.UTC(2026, 0, 1, 8, i),
    }));
    const view = monitorView({
      totals: { count: 0, errors: 0, cacheHits: 0, retries: 0 },
      endpoints: [],
      slowest: [],
      recent: [],
      appErrors,
    });
    expect(view.appErrors.map((error) => error.message)).toEqual(['e6', 'e5', 'e4', 'e3', 'e2']);
  });
});
