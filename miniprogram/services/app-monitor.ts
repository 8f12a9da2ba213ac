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
      slowest: snapshot.slowest.map(({ method, endpoint, totalMs, status, at }) => ({
        method,
        endpoint,
        totalMs,
        status,
        at,
      })),
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
