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

/** Bucket upper bounds in ms: 1 ms · 1.25^i up to ~10 min, plus +Inf. */
const BOUNDS: number[] = (() => {
  const bounds: number[] = [];
  for (let bound = 1; bound < 600_000; bound *= 1.25) bounds.push(Math.round(bound * 100) / 100);
  bounds.push(Number.POSITIVE_INFINITY);
  return bounds;
})();

export class Histogram {
  private readonly counts = new Uint32Array(BOUNDS.length);
  private total = 0;
  private maxValue = 0;

  record(ms: number): void {
    const value = Math.max(0, ms);
    let low = 0;
    let high = BOUNDS.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (value <= BOUNDS[mid]) high = mid;
      else low = mid + 1;
    }
    this.counts[low]++;
    this.total++;
    this.maxValue = Math.max(this.maxValue, value);
  }

  get count(): number {
    return this.total;
  }

  /** The bucket bound at quantile q (0..1); never above the largest value seen. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(BOUNDS[i], this.maxValue);
    }
    return this.maxValue;
  }

  /** Bytes this histogram holds, whatever the traffic. */
  static get sizeBytes(): number {
    return BOUNDS.length * 4;
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

interface EndpointState {
  count: number;
  errors: number;
  cacheHits: number;
  retries: number;
  histogram: Histogram;
}

export class Monitor implements MetricsSink {
  private endpoints = new Map<string, EndpointState>();
  private slow: SlowRequest[] = [];
  /** Ring buffer (no shifting on the hot path); `recentNext` is the oldest slot once full. */
  private recent: RequestMetric[] = [];
  private recentNext = 0;
  private slowNext = 0;
  private totals = { count: 0, errors: 0, cacheHits: 0, retries: 0, bytes: 0 };
  private pending: RequestMetric[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  private readonly random: () => number;
  get slowThresholdMs(): number {
    return this.options.slowThresholdMs ?? 1000;
  }

  /** Reporter failures (the batch is dropped: metrics must never pile up). */
  reportErrors = 0;

  constructor(private readonly options: MonitorOptions = {}) {
    this.random = options.random ?? Math.random;
  }

  record(metric: RequestMetric): void {
    // Endpoint patterns carry no query; only copy-and-redact what might hold a secret.
    const suspicious = metric.endpoint.includes('=') || metric.endpoint.includes('Bearer');
    const safe: RequestMetric = suspicious
      ? { ...metric, endpoint: redact(metric.endpoint) }
      : metric;
    this.totals.count++;
    if (!safe.ok) this.totals.errors++;
    if (safe.cache === 'hit' || safe.cache === 'revalidated') this.totals.cacheHits++;
    this.totals.retries += safe.retries;
    this.totals.bytes += safe.bytes;
    this.endpointState(`${safe.method} ${safe.endpoint}`, safe);
    const capacity = this.options.recentCapacity ?? 50;
    if (this.recent.length < capacity) this.recent.push(safe);
    else this.recent[this.recentNext] = safe;
    this.recentNext = (this.recentNext + 1) % capacity;
    if (this.options.reporter && this.random() < (this.options.sampleRate ?? 1)) this.enqueue(safe);
  }

  private endpointState(name: string, metric: RequestMetric): void {
    let state = this.endpoints.get(name);
    if (!state) {
      const key = this.endpoints.size >= (this.options.maxEndpoints ?? 100) ? 'other' : name;
      state = this.endpoints.get(key) ?? {
        count: 0,
        errors: 0,
        cacheHits: 0,
        retries: 0,
        histogram: new Histogram(),
      };
      this.endpoints.set(key, state);
    }
    state.count++;
    if (!metric.ok) state.errors++;
    if (metric.cache === 'hit' || metric.cache === 'revalidated') state.cacheHits++;
    state.retries += metric.retries;
    state.histogram.record(metric.totalMs);
  }

  /** Keeps a slow request (already redacted) in the ring buffer. */
  noteSlow(request: SlowRequest): void {
    if (request.totalMs < this.slowThresholdMs) return;
    const capacity = this.options.slowCapacity ?? 20;
    const entry = { ...request, url: redact(request.url) };
    if (this.slow.length < capacity) this.slow.push(entry);
    else this.slow[this.slowNext] = entry;
    this.slowNext = (this.slowNext + 1) % capacity;
  }

  private enqueue(metric: RequestMetric): void {
    this.pending.push(metric);
    const maxPending = this.options.maxPending ?? 200;
    if (this.pending.length > maxPending) this.pending.splice(0, this.pending.length - maxPending);
    if (this.pending.length >= (this.options.batchSize ?? 20)) {
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushIntervalMs ?? 10_000);
    }
  }

  /** Sends what is pending now. Never rejects. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const reporter = this.options.reporter;
    if (!reporter || this.pending.length === 0) return;
    const items = this.pending.splice(0, Math.min(this.pending.length, 200));
    try {
      await reporter({ app: this.options.app ?? { version: 'dev' }, items });
    } catch {
      this.reportErrors++;
    }
  }

  private recentInOrder(): RequestMetric[] {
    if (this.recent.length < (this.options.recentCapacity ?? 50)) return [...this.recent];
    return [...this.recent.slice(this.recentNext), ...this.recent.slice(0, this.recentNext)];
  }

  snapshot(): MonitorSnapshot {
    const endpoints = [...this.endpoints.entries()].map(([endpoint, state]) => ({
      endpoint,
      count: state.count,
      errors: state.errors,
      errorRate: state.count === 0 ? 0 : state.errors / state.count,
      cacheHits: state.cacheHits,
      retries: state.retries,
      p50: state.histogram.quantile(0.5),
      p95: state.histogram.quantile(0.95),
      p99: state.histogram.quantile(0.99),
    }));
    const slowest = [...this.slow].sort((a, b) => b.totalMs - a.totalMs);
    return { totals: { ...this.totals }, endpoints, slowest, recent: this.recentInOrder() };
  }

  reset(): void {
    this.endpoints = new Map();
    this.slow = [];
    this.recent = [];
    this.recentNext = 0;
    this.slowNext = 0;
    this.totals = { count: 0, errors: 0, cacheHits: 0, retries: 0, bytes: 0 };
    this.pending = [];
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
    const kind = (failure as { kind?: string } | undefined)?.kind;
    // A cache hit had no reply of its own: it counts as the 200 it stands for.
    const status =
      ctx.response?.status ??
      (failure === undefined ? 200 : ((failure as { status?: number }).status ?? 0));
    monitor.record({
      endpoint,
      method: ctx.method,
      status,
      ok: failure === undefined,
      errorKind: failure === undefined ? undefined : (kind ?? 'unknown'),
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
