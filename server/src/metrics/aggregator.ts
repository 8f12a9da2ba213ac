import type { MetricsBatch, MetricsSummary } from '../../../typings/api';
import { LogHistogram } from './histogram';

const MAX_ENDPOINTS = 200;
const OVERFLOW = '(other)';

interface EndpointStats {
  count: number;
  errors: number;
  latency: LogHistogram;
}

/** Aggregates monitor reports per endpoint: counts, errors and latency percentiles, bounded. */
export class MetricsAggregator {
  private readonly endpoints = new Map<string, EndpointStats>();
  private received = 0;

  add(batch: MetricsBatch): number {
    for (const item of batch.items) {
      const name =
        this.endpoints.has(item.endpoint) || this.endpoints.size < MAX_ENDPOINTS
          ? item.endpoint
          : OVERFLOW;
      let stats = this.endpoints.get(name);
      if (!stats)
        this.endpoints.set(name, (stats = { count: 0, errors: 0, latency: new LogHistogram() }));
      stats.count++;
      if (!item.ok) stats.errors++;
      stats.latency.record(item.totalMs);
    }
    this.received += batch.items.length;
    return batch.items.length;
  }

  summary(): MetricsSummary {
    const endpoints = [...this.endpoints.entries()]
      .map(([endpoint, s]) => ({
        endpoint,
        count: s.count,
        errors: s.errors,
        p50: s.latency.percentile(0.5),
        p95: s.latency.percentile(0.95),
        p99: s.latency.percentile(0.99),
      }))
      .sort((a, b) => b.count - a.count || (a.endpoint < b.endpoint ? -1 : 1));
    return { endpoints, received: this.received };
  }

  reset(): void {
    this.endpoints.clear();
    this.received = 0;
  }
}
