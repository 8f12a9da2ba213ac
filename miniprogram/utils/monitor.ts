/**
 * The request monitor: one metric per request (queue wait, login wait, network time, total,
 * status, bytes, cache outcome, retries, error kind), per-endpoint counts and p50/p95/p99 from a
 * fixed log-scale histogram (memory does not grow with traffic), the latest slow requests in a
 * bounded buffer, token redaction, and a pluggable reporter that is batched and sampled.
 */
import type { MetricsBatch, RequestMetric } from '../../typings/api';
import type { MetricsSink } from './contracts';
import { endpointPattern } from './endpoint';
import type { Middleware } from './pipeline';
import type { RequestContext } from './request-context';

/** Histogram bucket i counts latencies up to 2^(i/4) - 1 ms (to ~10 min); the last, all above. */
const LAST_BUCKET = 77;
/** Metrics per reporter batch (the server takes at most 200); fewer are sent after 10 s. */
const BATCH_SIZE = 20;
const FLUSH_AFTER_MS = 10_000;
/** Default number of recent metrics kept. */
const RECENT_CAPACITY = 50;
/** Slow requests kept. */
const SLOW_CAPACITY = 20;
/** Endpoints tracked separately; further ones share 'other'. */
const MAX_ENDPOINTS = 100;

export interface EndpointStats {
  endpoint: string;
  count: number;
  errors: number;
  errorRate: number;
  cacheHits: number;
  retries: number;
  bytes: number;
  p50: number;
  p95: number;
  p99: number;
}

/** A slow request's metric, with its path (secrets redacted) and trace id. */
export interface SlowRequest extends RequestMetric {
  url: string;
  traceId: string;
}

export interface MonitorSnapshot {
  totals: { count: number; errors: number; cacheHits: number; retries: number; bytes: number };
  endpoints: EndpointStats[];
  /** The latest slow requests, slowest first (bounded). */
  slowest: SlowRequest[];
  /** The latest metrics, oldest first (bounded), e.g. for a latency chart. */
  recent: RequestMetric[];
}

export type MetricsReporter = (batch: MetricsBatch) => Promise<void>;

export interface MonitorOptions {
  /** Receives batches of sampled metrics. */
  reporter?: MetricsReporter;
  /** Fraction of metrics reported (all are counted locally). Default 1. */
  sampleRate?: number;
  /** Requests at least this slow go to the slow ring buffer. Default 1000 ms. */
  slowThresholdMs?: number;
  /** Recent metrics kept for `snapshot().recent`. Default 50. */
  recentCapacity?: number;
  /** Default `{ version: 'dev' }`. */
  app?: MetricsBatch['app'];
}

/** A secret query parameter's or an Authorization header's value (the `$1` before it is kept). */
const SECRET = /((?:token|session|code|key|secret|sign|password)\w*=|Bearer\s+)[^&#\s]*/gi;

/** Removes tokens and session values from URLs and texts before they are kept or sent. */
export function redact(text: string): string {
  return text.replace(SECRET, '$1***');
}

type Totals = MonitorSnapshot['totals'];

/** Totals plus a latency histogram, of fixed size whatever the traffic. */
export interface Stats {
  totals: Totals;
  buckets: Uint32Array;
  /** The largest latency seen, which caps every quantile. */
  max: number;
}

const zeroTotals = (): Totals => ({ count: 0, errors: 0, cacheHits: 0, retries: 0, bytes: 0 });

export const newStats = (): Stats => ({
  totals: zeroTotals(),
  buckets: new Uint32Array(LAST_BUCKET + 1),
  max: 0,
});

function count(totals: Totals, metric: RequestMetric): void {
  totals.count++;
  if (!metric.ok) totals.errors++;
  if (metric.cache === 'hit' || metric.cache === 'revalidated') totals.cacheHits++;
  totals.retries += metric.retries;
  totals.bytes += metric.bytes;
}

/** Counts the metric and its latency. */
export function tally(stats: Stats, metric: RequestMetric): void {
  count(stats.totals, metric);
  const ms = Math.max(0, metric.totalMs);
  stats.buckets[Math.min(LAST_BUCKET, Math.ceil(4 * Math.log2(ms + 1)))]++;
  stats.max = Math.max(stats.max, ms);
}

/** The bucket bound at quantile q (0..1); never above the largest latency seen. */
export function quantile({ buckets, totals, max }: Stats, q: number): number {
  let seen = 0;
  for (let i = 0; i < LAST_BUCKET; i++) {
    seen += buckets[i];
    if (seen >= q * totals.count) return Math.min(2 ** (i / 4) - 1, max);
  }
  return max;
}

/**
 * Appends to a list that keeps at least the latest `capacity` items and at most twice that:
 * trimming half at a time costs less than shifting on every push. Read it with `latest`.
 */
function append<T>(list: T[], item: T, capacity: number): void {
  if (list.push(item) > 2 * capacity) list.splice(0, capacity);
}

/** The latest `capacity` items, oldest first. */
const latest = <T>(list: T[], capacity: number): T[] => list.slice(-capacity);

export class Monitor implements MetricsSink {
  private endpoints = new Map<string, Stats>();
  private totals = zeroTotals();
  private slow: SlowRequest[] = [];
  private recent: RequestMetric[] = [];
  /** Sampled metrics for the reporter; a timer runs while there are any. */
  private pending: RequestMetric[] = [];
  // Unset until the first sampled metric; clearTimeout ignores it then.
  private timer!: ReturnType<typeof setTimeout>;
  /** Reporter failures (the batch is dropped: metrics must never pile up). */
  reportErrors = 0;

  constructor(private readonly options: MonitorOptions = {}) {}

  record(metric: RequestMetric): void {
    const { reporter, sampleRate = 1, recentCapacity = RECENT_CAPACITY } = this.options;
    // Endpoint patterns carry no query; only copy-and-redact what might hold a secret.
    const suspicious = metric.endpoint.includes('=') || metric.endpoint.includes('Bearer');
    const safe = suspicious ? { ...metric, endpoint: redact(metric.endpoint) } : metric;
    const { endpoints } = this;
    const name = `${safe.method} ${safe.endpoint}`;
    let stats = endpoints.get(name);
    if (!stats) {
      const key = endpoints.size < MAX_ENDPOINTS ? name : 'other';
      stats = endpoints.get(key) || newStats();
      endpoints.set(key, stats);
    }
    tally(stats, safe);
    count(this.totals, safe);
    append(this.recent, safe, recentCapacity);
    if (reporter && Math.random() < sampleRate) {
      const waiting = this.pending.push(safe);
      if (waiting >= BATCH_SIZE) void this.flush();
      else if (waiting === 1) this.timer = setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
    }
  }

  /** Keeps a request at least `slowThresholdMs` slow in the ring buffer, its URL redacted. */
  noteSlow(metric: RequestMetric, url: string, traceId: string): void {
    const { slowThresholdMs = 1000 } = this.options;
    if (metric.totalMs >= slowThresholdMs) {
      append(this.slow, { ...metric, url: redact(url), traceId }, SLOW_CAPACITY);
    }
  }

  /** Sends what is pending now. Never rejects. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    const { reporter, app = { version: 'dev' } } = this.options;
    const items = this.pending;
    this.pending = [];
    if (reporter && items.length) {
      try {
        await reporter({ app, items });
      } catch {
        this.reportErrors++;
      }
    }
  }

  snapshot(): MonitorSnapshot {
    return {
      totals: { ...this.totals },
      endpoints: [...this.endpoints].map(([endpoint, stats]) => ({
        endpoint,
        ...stats.totals,
        errorRate: stats.totals.errors / stats.totals.count,
        p50: quantile(stats, 0.5),
        p95: quantile(stats, 0.95),
        p99: quantile(stats, 0.99),
      })),
      slowest: latest(this.slow, SLOW_CAPACITY).sort((a, b) => b.totalMs - a.totalMs),
      recent: latest(this.recent, this.options.recentCapacity || RECENT_CAPACITY),
    };
  }

  reset(): void {
    clearTimeout(this.timer);
    this.endpoints.clear();
    this.totals = zeroTotals();
    this.slow = [];
    this.recent = [];
    this.pending = [];
  }
}

/** Outermost stage: times the whole request and records it (unless `track: false`). */
export function monitorStage(monitor: Monitor, now: () => number): Middleware<RequestContext> {
  function finish(ctx: RequestContext, error?: { kind?: string; status?: number }): void {
    if (ctx.options.track === false) return;
    const { response, timings } = ctx;
    const metric: RequestMetric = {
      endpoint: endpointPattern(ctx.path),
      method: ctx.method,
      // A cache hit had no reply of its own: it counts as the 200 it stands for.
      status: response ? response.status : error ? error.status || 0 : 200,
      ok: !error,
      errorKind: error && (error.kind || 'unknown'),
      queueMs: timings.queueMs,
      loginMs: timings.loginMs,
      networkMs: timings.networkMs,
      totalMs: now() - ctx.startedAt,
      bytes: ctx.bytes,
      cache: ctx.cache,
      retries: ctx.retries,
      at: ctx.startedAt,
    };
    monitor.record(metric);
    monitor.noteSlow(metric, ctx.path, ctx.traceId);
  }
  // A then-pair rather than an async function: one promise less on every request.
  return (ctx, next) =>
    next(ctx).then(
      () => finish(ctx),
      (error: unknown) => {
        // Whatever was thrown (even undefined) counts as a failure.
        finish(ctx, error || {});
        throw error;
      },
    );
}
