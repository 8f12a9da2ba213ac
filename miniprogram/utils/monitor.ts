/**
 * The request monitor: one metric per request (queue wait, login wait, network time, total,
 * status, bytes, cache outcome, retries, error kind), per-endpoint counts and p50/p95/p99 from a
 * fixed log-scale histogram (memory does not grow with traffic), a ring buffer of slow requests,
 * token redaction, and a pluggable reporter that is batched and sampled.
 */
import type { MetricsBatch, RequestMetric } from '../../typings/api';
import type { MetricsSink } from './contracts';
import { endpointPattern } from './endpoint';
import type { Middleware } from './pipeline';
import type { RequestContext } from './request-context';
import { withDefaults } from './options';

/** Bucket i holds values up to 1.25^i ms (1 ms up to ~10 min); the last bucket, everything above. */
const GROWTH = 1.25;
const LAST = 60;

export class Histogram {
  private readonly counts = new Uint32Array(LAST + 1);
  private total = 0;
  private maxValue = 0;

  record(ms: number): void {
    const value = Math.max(0, ms);
    const bucket = value <= 1 ? 0 : Math.ceil(Math.log(value) / Math.log(GROWTH));
    this.counts[Math.min(bucket, LAST)]++;
    this.total++;
    this.maxValue = Math.max(this.maxValue, value);
  }

  get count(): number {
    return this.total;
  }

  /** The bucket bound at quantile q (0..1); never above the largest value seen. */
  quantile(q: number): number {
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < LAST; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(GROWTH ** i, this.maxValue);
    }
    return this.maxValue;
  }

  /** Bytes this histogram holds, whatever the traffic. */
  static get sizeBytes(): number {
    return (LAST + 1) * 4;
  }
}

export interface EndpointStats {
  endpoint: string;
  count: number;
  errors: number;
  errorRate: number;
  cacheHits: number;
  retries: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface SlowRequest {
  endpoint: string;
  /** Path with secrets redacted. */
  url: string;
  method: string;
  totalMs: number;
  status: number;
  traceId: string;
  at: number;
}

export interface MonitorSnapshot {
  totals: { count: number; errors: number; cacheHits: number; retries: number; bytes: number };
  endpoints: EndpointStats[];
  slowest: SlowRequest[];
  /** The latest metrics, oldest first (bounded), e.g. for a latency chart. */
  recent: RequestMetric[];
}

export type MetricsReporter = (batch: MetricsBatch) => Promise<void>;

export interface MonitorOptions {
  reporter?: MetricsReporter;
  /** Fraction of metrics reported (all are counted locally). Default 1. */
  sampleRate?: number;
  /** Reporter batch size (server accepts at most 200). Default 20. */
  batchSize?: number;
  /** Flush a partial batch after this long. Default 10 s. */
  flushIntervalMs?: number;
  /** Requests at least this slow go to the ring buffer. Default 1000 ms. */
  slowThresholdMs?: number;
  /** Ring buffer capacity. Default 20. */
  slowCapacity?: number;
  /** Recent metrics kept for `snapshot().recent`. Default 50. */
  recentCapacity?: number;
  /** Endpoints tracked separately; further ones share 'other'. Default 100. */
  maxEndpoints?: number;
  /** Metrics waiting for the reporter; the oldest are dropped beyond it. Default 200. */
  maxPending?: number;
  app?: MetricsBatch['app'];
  random?: () => number;
}

const SECRET_PARAMS =
  /([?&](?:token|access_token|session|sessionid|code|key|password|secret|sign)=)[^&#]*/gi;
const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]+/g;

/** Removes tokens and session values from URLs and texts before they are kept or sent. */
export function redact(text: string): string {
  return text.replace(SECRET_PARAMS, '$1***').replace(BEARER, 'Bearer ***');
}

const DEFAULTS = {
  sampleRate: 1,
  batchSize: 20,
  flushIntervalMs: 10_000,
  slowThresholdMs: 1000,
  slowCapacity: 20,
  recentCapacity: 50,
  maxEndpoints: 100,
  maxPending: 200,
  app: { version: 'dev' },
  random: Math.random,
};

/** A bounded ring buffer (no shifting on the hot path): the latest `capacity` items. */
class Ring<T> {
  private items: T[] = [];
  private next = 0;
  constructor(private readonly capacity: number) {}

  push(item: T): void {
    // Until the ring is full, `next` is the length: this appends.
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  clear(): void {
    this.items = [];
    this.next = 0;
  }

  /** Oldest first. */
  list(): T[] {
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

type Totals = MonitorSnapshot['totals'];
type EndpointState = Totals & { histogram: Histogram };

const zeroTotals = (): Totals => ({ count: 0, errors: 0, cacheHits: 0, retries: 0, bytes: 0 });

function tally(totals: Totals, metric: RequestMetric): void {
  totals.count++;
  if (!metric.ok) totals.errors++;
  if (metric.cache === 'hit' || metric.cache === 'revalidated') totals.cacheHits++;
  totals.retries += metric.retries;
  totals.bytes += metric.bytes;
}

export class Monitor implements MetricsSink {
  private readonly config: typeof DEFAULTS & MonitorOptions;
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly slow: Ring<SlowRequest>;
  private readonly recent: Ring<RequestMetric>;
  private totals = zeroTotals();
  private pending: RequestMetric[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  /** Reporter failures (the batch is dropped: metrics must never pile up). */
  reportErrors = 0;

  constructor(options: MonitorOptions = {}) {
    this.config = withDefaults(DEFAULTS, options);
    this.slow = new Ring(this.config.slowCapacity);
    this.recent = new Ring(this.config.recentCapacity);
  }

  get slowThresholdMs(): number {
    return this.config.slowThresholdMs;
  }

  record(metric: RequestMetric): void {
    // Endpoint patterns carry no query; only copy-and-redact what might hold a secret.
    const suspicious = metric.endpoint.includes('=') || metric.endpoint.includes('Bearer');
    const safe = suspicious ? { ...metric, endpoint: redact(metric.endpoint) } : metric;
    const { config, endpoints } = this;
    tally(this.totals, safe);
    const name = `${safe.method} ${safe.endpoint}`;
    let state = endpoints.get(name);
    if (!state) {
      const key = endpoints.size >= config.maxEndpoints ? 'other' : name;
      state = endpoints.get(key) || { ...zeroTotals(), histogram: new Histogram() };
      endpoints.set(key, state);
    }
    tally(state, safe);
    state.histogram.record(safe.totalMs);
    this.recent.push(safe);
    if (config.reporter && config.random() < config.sampleRate) this.enqueue(safe);
  }

  /** Keeps a slow request (redacted) in the ring buffer. */
  noteSlow(request: SlowRequest): void {
    if (request.totalMs >= this.slowThresholdMs) {
      this.slow.push({ ...request, url: redact(request.url) });
    }
  }

  private enqueue(metric: RequestMetric): void {
    const { pending, config } = this;
    pending.push(metric);
    if (pending.length > config.maxPending) pending.shift();
    if (pending.length >= config.batchSize) void this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), config.flushIntervalMs);
    }
  }

  /** Sends what is pending now. Never rejects. */
  async flush(): Promise<void> {
    this.stopTimer();
    const { reporter, app } = this.config;
    if (!reporter || this.pending.length === 0) return;
    // The server takes at most 200 metrics per batch.
    const items = this.pending.splice(0, 200);
    try {
      await reporter({ app, items });
    } catch {
      this.reportErrors++;
    }
  }

  snapshot(): MonitorSnapshot {
    const endpoints = [...this.endpoints].map(([endpoint, state]) => ({
      endpoint,
      count: state.count,
      errors: state.errors,
      errorRate: state.errors / state.count,
      cacheHits: state.cacheHits,
      retries: state.retries,
      p50: state.histogram.quantile(0.5),
      p95: state.histogram.quantile(0.95),
      p99: state.histogram.quantile(0.99),
    }));
    const slowest = this.slow.list().sort((a, b) => b.totalMs - a.totalMs);
    return { totals: { ...this.totals }, endpoints, slowest, recent: this.recent.list() };
  }

  reset(): void {
    this.endpoints.clear();
    this.slow.clear();
    this.recent.clear();
    this.totals = zeroTotals();
    this.pending = [];
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Outermost stage: times the whole request and records it (unless `track: false`). */
export function monitorStage(
  monitor: Monitor,
  now: () => number = Date.now,
): Middleware<RequestContext> {
  function finish(ctx: RequestContext, failure: unknown): void {
    if (ctx.options.track === false) return;
    const totalMs = now() - ctx.startedAt;
    const endpoint = endpointPattern(ctx.path);
    const failed = failure !== undefined;
    const { kind = 'unknown', status: failedStatus = 0 } = (failure || {}) as {
      kind?: string;
      status?: number;
    };
    // A cache hit had no reply of its own: it counts as the 200 it stands for.
    const status = ctx.response ? ctx.response.status : failed ? failedStatus : 200;
    monitor.record({
      endpoint,
      method: ctx.method,
      status,
      ok: !failed,
      errorKind: failed ? kind : undefined,
      queueMs: ctx.timings.queueMs,
      loginMs: ctx.timings.loginMs,
      networkMs: ctx.timings.networkMs,
      totalMs,
      bytes: ctx.bytes,
      cache: ctx.cache,
      retries: ctx.retries,
      at: ctx.startedAt,
    });
    if (totalMs >= monitor.slowThresholdMs) {
      monitor.noteSlow({
        endpoint,
        url: ctx.path,
        method: ctx.method,
        totalMs,
        status,
        traceId: ctx.traceId,
        at: ctx.startedAt,
      });
    }
  }
  // A then-pair rather than an async function: one promise less on every request.
  return (ctx, next) =>
    next(ctx).then(
      () => finish(ctx, undefined),
      (error: unknown) => {
        finish(ctx, error);
        throw error;
      },
    );
}
