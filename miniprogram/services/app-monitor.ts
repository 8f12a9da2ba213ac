/**
 * The app's monitor: utils/monitor's Monitor plus what the monitor page draws that the request
 * stack does not keep — a bounded series of recent latencies — and the app's own errors
 * (App.onError / onUnhandledRejection), also bounded.
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

export const RECENT_CAPACITY = 60;
export const ERROR_CAPACITY = 20;

export class AppMonitor extends Monitor {
  private latencies: Array<Pick<RequestMetric, 'totalMs' | 'at' | 'ok'>> = [];
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
    this.latencies.push({ totalMs: metric.totalMs, at: metric.at, ok: metric.ok });
    if (this.latencies.length > RECENT_CAPACITY)
      this.latencies.splice(0, this.latencies.length - RECENT_CAPACITY);
  }

  override reset(): void {
    super.reset();
    this.latencies = [];
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
      endpoints: snapshot.endpoints.map(({ endpoint, count, errors, p50, p95 }) => ({
        endpoint,
        count,
        errors,
        p50,
        p95,
      })),
      slowest: snapshot.slowest.map(({ method, endpoint, totalMs, status, at }) => ({
        method,
        endpoint,
        totalMs,
        status,
        at,
      })),
      recent: this.latencies.slice(),
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
