/**
 * The app's monitor: utils/monitor's Monitor, plus the app's own errors (App.onError /
 * onUnhandledRejection, bounded) and extra sinks fed with every request metric (e.g. the
 * connectivity store's latency estimate).
 */
import type { RequestMetric } from '../../typings/api';
import type { MetricsSink } from '../utils/contracts';
import { Monitor } from '../utils/monitor';
import type { MonitorOptions } from '../utils/monitor';
import type { MonitorPort, MonitorSnapshotView } from './ports';

export interface AppErrorRecord {
  source: 'onError' | 'onUnhandledRejection' | 'page';
  message: string;
  at: number;
}

export const ERROR_CAPACITY = 20;
/** How many of the slowest requests the view lists. */
export const SLOWEST_CAPACITY = 10;

type SlowRow = MonitorSnapshotView['slowest'][number];

/**
 * The slowest requests a person can see: the monitor's slow ring only keeps those above its
 * threshold (1 s), so on a fast network the recent ones fill the list; each request once.
 */
function slowestOf(...sources: ReadonlyArray<readonly SlowRow[]>): SlowRow[] {
  const seen = new Set<string>();
  const rows: SlowRow[] = [];
  for (const source of sources) {
    for (const { method, endpoint, totalMs, status, at } of source) {
      const key = `${at}|${method}|${endpoint}|${totalMs}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({ method, endpoint, totalMs, status, at });
    }
  }
  return rows.sort((a, b) => b.totalMs - a.totalMs).slice(0, SLOWEST_CAPACITY);
}

export class AppMonitor extends Monitor {
  private appErrorLog: AppErrorRecord[] = [];

  constructor(
    options: MonitorOptions = {},
    private readonly extras: { now?: () => number; sinks?: MetricsSink[] } = {},
  ) {
    super(options);
  }

  override record(metric: RequestMetric): void {
    super.record(metric);
    for (const sink of this.extras.sinks ?? []) sink.record(metric);
  }

  override reset(): void {
    super.reset();
    this.appErrorLog = [];
  }

  reportError(error: unknown, source: AppErrorRecord['source']): void {
    const message = redactMessage(error instanceof Error ? error.message : String(error));
    this.appErrorLog.push({ source, message, at: (this.extras.now ?? Date.now)() });
    if (this.appErrorLog.length > ERROR_CAPACITY)
      this.appErrorLog.splice(0, this.appErrorLog.length - ERROR_CAPACITY);
  }

  get appErrors(): readonly AppErrorRecord[] {
    return this.appErrorLog.slice();
  }

  view(): MonitorSnapshotView {
    const snapshot = this.snapshot();
    return {
      totals: snapshot.totals,
      endpoints: snapshot.endpoints.map(
        ({ endpoint, count, errors, p50, p95, cacheHits, retries }) => ({
          endpoint,
          count,
          errors,
          p50,
          p95,
          cacheHits,
          retries,
        }),
      ),
      slowest: slowestOf(snapshot.slowest, snapshot.recent),
      recent: snapshot.recent.map(({ totalMs, at, ok }) => ({ totalMs, at, ok })),
      appErrors: this.appErrorLog.slice(),
    };
  }
}

/** Error texts can carry URLs with tokens; keep them out of what the page shows. */
function redactMessage(text: string): string {
  return text
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer ***')
    .replace(/([?&](?:token|code|session)=)[^&\s]*/gi, '$1***')
    .slice(0, 300);
}

/** The monitor page's port over an AppMonitor. */
export function monitorPort(monitor: AppMonitor): MonitorPort {
  return {
    snapshot: () => monitor.view(),
    reset: () => monitor.reset(),
    reportError: (error, source) => monitor.reportError(error, source),
  };
}
