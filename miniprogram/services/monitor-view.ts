/** The monitor snapshot as a person wants to read it: rows, totals, slowest list, latency bars. */
import { formatClock, formatMs, formatPercent } from './format';
import type { MonitorSnapshotView } from './ports';

export interface EndpointRow {
  endpoint: string;
  count: number;
  errorRate: string;
  p50: string;
  p95: string;
  cacheHitRate: string;
  retries: number;
  /** For styling rows with errors. */
  hasErrors: boolean;
}

export interface LatencyBar {
  /** 4..100, relative to the slowest request shown. */
  heightPct: number;
  ok: boolean;
  label: string;
}

export interface MonitorView {
  empty: boolean;
  totals: { requests: number; errorRate: string; cacheHitRate: string; retries: number };
  endpoints: EndpointRow[];
  slowest: Array<{ key: string; label: string; duration: string; status: number; at: string }>;
  bars: LatencyBar[];
  /** Latest app errors first. */
  appErrors: Array<{ key: string; source: string; message: string; at: string }>;
}

export const CHART_BARS = 30;
export const SLOWEST_SHOWN = 5;

export function monitorView(snapshot: MonitorSnapshotView): MonitorView {
  const endpoints = [...snapshot.endpoints].sort(
    (a, b) => b.count - a.count || a.endpoint.localeCompare(b.endpoint),
  );
  const { count: requests, errors, cacheHits: hits, retries } = snapshot.totals;
  const recent = snapshot.recent.slice(-CHART_BARS);
  const slowestMs = Math.max(1, ...recent.map((metric) => metric.totalMs));
  return {
    empty: requests === 0,
    totals: {
      requests,
      errorRate: formatPercent(errors / requests),
      cacheHitRate: formatPercent(hits / requests),
      retries,
    },
    endpoints: endpoints.map((row) => ({
      endpoint: row.endpoint,
      count: row.count,
      errorRate: formatPercent(row.errors / row.count),
      p50: formatMs(row.p50),
      p95: formatMs(row.p95),
      cacheHitRate: formatPercent(row.cacheHits / row.count),
      retries: row.retries,
      hasErrors: row.errors > 0,
    })),
    slowest: [...snapshot.slowest]
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, SLOWEST_SHOWN)
      .map((metric, index) => ({
        key: `${metric.at}-${index}`,
        // Monitor endpoints already read `METHOD /path`; metrics keep them apart.
        label: metric.endpoint.startsWith(`${metric.method} `)
          ? metric.endpoint
          : `${metric.method} ${metric.endpoint}`,
        duration: formatMs(metric.totalMs),
        status: metric.status,
        at: formatClock(metric.at),
      })),
    appErrors: (snapshot.appErrors ?? [])
      .slice(-SLOWEST_SHOWN)
      .reverse()
      .map((error, index) => ({
        key: `${error.at}-${index}`,
        source: error.source,
        message: error.message,
        at: formatClock(error.at),
      })),
    bars: recent.map((metric) => ({
      heightPct: Math.max(4, Math.round((metric.totalMs / slowestMs) * 100)),
      ok: metric.ok,
      label: formatMs(metric.totalMs),
    })),
  };
}
