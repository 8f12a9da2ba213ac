import {
  AppMonitor,
  ERROR_CAPACITY,
  SLOWEST_CAPACITY,
  monitorPort,
} from '../../../miniprogram/services/app-monitor';
import type { RequestMetric } from '../../../typings/api';

function metric(totalMs: number, ok = true): RequestMetric {
  return {
    endpoint: '/api/products',
    method: 'GET',
    status: ok ? 200 : 500,
    ok,
    queueMs: 0,
    loginMs: 0,
    networkMs: totalMs,
    totalMs,
    bytes: 1,
    cache: 'miss',
    retries: 0,
    at: totalMs,
  };
}

describe('AppMonitor', () => {
  it('exposes a bounded latency series, feeds extra sinks, and resets everything', () => {
    const RECENT_CAPACITY = 10;
    const sink = { record: jest.fn() };
    const monitor = new AppMonitor({ recentCapacity: RECENT_CAPACITY }, { sinks: [sink] });
    for (let i = 0; i < RECENT_CAPACITY + 5; i++) monitor.record(metric(i + 1, i % 2 === 0));
    const view = monitor.view();
    expect(view.recent).toHaveLength(RECENT_CAPACITY);
    expect(view.recent[0].totalMs).toBe(6);
    expect(view.totals.count).toBe(RECENT_CAPACITY + 5);
    expect(view.endpoints[0]).toMatchObject({
      endpoint: 'GET /api/products',
      count: RECENT_CAPACITY + 5,
    });
    expect(sink.record).toHaveBeenCalledTimes(RECENT_CAPACITY + 5);
    monitor.reset();
    expect(monitor.view().recent).toEqual([]);
    expect(monitor.view().totals.count).toBe(0);
  });

  it('lists the slowest requests even when none passed the slow threshold, each once', () => {
    const monitor = new AppMonitor({ slowThresholdMs: 1000, recentCapacity: 50 });
    for (const ms of [40, 900, 120]) monitor.record(metric(ms));
    expect(monitor.view().slowest.map((row) => row.totalMs)).toEqual([900, 120, 40]);
    // One above the threshold sits in both the slow ring and the recent series: shown once.
    monitor.record(metric(2500, false));
    const slowest = monitor.view().slowest;
    expect(slowest.map((row) => row.totalMs)).toEqual([2500, 900, 120, 40]);
    expect(slowest[0]).toEqual({
      method: 'GET',
      endpoint: '/api/products',
      totalMs: 2500,
      status: 500,
      at: 2500,
    });
    for (let i = 0; i < 30; i++) monitor.record(metric(i + 1));
    expect(monitor.view().slowest).toHaveLength(SLOWEST_CAPACITY);
  });

  it('records app errors bounded and without tokens', () => {
    const monitor = new AppMonitor({}, { now: () => 42 });
    const port = monitorPort(monitor);
    port.reportError(new Error('GET /x?token=abc failed with Bearer xyz.123'), 'onError');
    expect(monitor.appErrors[0]).toEqual({
      source: 'onError',
      message: 'GET /x?token=*** failed with Bearer ***',
      at: 42,
    });
    for (let i = 0; i < ERROR_CAPACITY + 3; i++) port.reportError(`e${i}`, 'onUnhandledRejection');
    expect(monitor.appErrors).toHaveLength(ERROR_CAPACITY);
    port.reset();
    expect(monitor.appErrors).toEqual([]);
    expect(port.snapshot().totals.count).toBe(0);
  });
});
