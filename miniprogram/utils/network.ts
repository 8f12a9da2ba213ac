/**
 * The connectivity store: one source of truth for "are we online, on what, and is it weak".
 * It starts from `wx.getNetworkType`, follows `wx.onNetworkStatusChange`, and unregisters with
 * `wx.offNetworkStatusChange` on `stop()` so listeners never pile up across restarts.
 *
 * Weak network = a 2g/3g connection, or a measured latency (fed by the monitor through
 * `latencyFeed`) above `weakLatencyMs`. While `weak`, the http client multiplies its timeouts by
 * its own `weakTimeoutFactor` (http.ts) so slow links are not cut off.
 */
import type { RequestMetric } from '../../typings/api';
import { AppError } from './errors';
import type { CancelSignal } from './cancel';
import type { Connectivity, ConnectivityState, MetricsSink } from './contracts';
import type { NetworkStatus, NetworkWx } from './wx-ports';
import { globalWx } from './wx-ports';

export interface ConnectivityOptions {
  wx?: NetworkWx;
  /** Network types that count as weak. Default 2g and 3g. */
  weakTypes?: readonly string[];
  /** Smoothed latency above which the network counts as weak. Default 1500 ms. */
  weakLatencyMs?: number;
  /** Weight of a new latency sample in the moving average. Default 0.3. */
  latencySmoothing?: number;
}

export class ConnectivityStore implements Connectivity {
  private current: ConnectivityState = { online: true, networkType: 'unknown', weak: false };
  private readonly listeners = new Set<(state: ConnectivityState) => void>();
  private latencyMs: number | undefined;
  private started = false;
  private readonly weakTypes: readonly string[];
  private readonly weakLatencyMs: number;
  private readonly smoothing: number;
  private wxApi: NetworkWx | undefined;

  constructor(private readonly options: ConnectivityOptions = {}) {
    this.weakTypes = options.weakTypes ?? ['2g', '3g'];
    this.weakLatencyMs = options.weakLatencyMs ?? 1500;
    this.smoothing = options.latencySmoothing ?? 0.3;
  }

  get state(): ConnectivityState {
    return this.current;
  }

  get isOnline(): boolean {
    return this.current.online;
  }

  get networkType(): string {
    return this.current.networkType;
  }

  get weak(): boolean {
    return this.current.weak;
  }

  /** Reads the initial type and follows changes. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const api = (this.wxApi = this.options.wx ?? globalWx<NetworkWx>());
    api.onNetworkStatusChange(this.handleChange);
    api.getNetworkType({
      success: ({ networkType }) => {
        // A change event that arrived first is newer than this answer.
        if (this.started && this.current.networkType === 'unknown') {
          this.apply(networkType !== 'none', networkType);
        }
      },
      fail: () => undefined,
    });
  }

  /** Unregisters from wx; subscribers stay (a page unsubscribes itself). */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.wxApi?.offNetworkStatusChange(this.handleChange);
  }

  /** stop() and drop every subscriber. */
  dispose(): void {
    this.stop();
    this.listeners.clear();
  }

  subscribe(listener: (state: ConnectivityState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  waitForOnline(signal?: CancelSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled(signal.reason));
    if (this.current.online) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const unsubscribe = this.subscribe((state) => {
        if (!state.online) return;
        cleanup();
        resolve();
      });
      const offAbort = signal?.onAbort((reason) => {
        cleanup();
        reject(cancelled(reason));
      });
      function cleanup(): void {
        unsubscribe();
        offAbort?.();
      }
    });
  }

  /** A measured round trip (ms). Feeds the smoothed latency behind the weak flag. */
  reportLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.latencyMs =
      this.latencyMs === undefined ? ms : this.latencyMs + this.smoothing * (ms - this.latencyMs);
    this.apply(this.current.online, this.current.networkType);
  }

  private readonly handleChange = (status: NetworkStatus): void => {
    this.apply(status.isConnected && status.networkType !== 'none', status.networkType);
  };

  private apply(online: boolean, networkType: string): void {
    const weak =
      online &&
      (this.weakTypes.includes(networkType) ||
        (this.latencyMs !== undefined && this.latencyMs > this.weakLatencyMs));
    const previous = this.current;
    if (
      previous.online === online &&
      previous.networkType === networkType &&
      previous.weak === weak
    ) {
      return;
    }
    this.current = { online, networkType, weak };
    for (const listener of [...this.listeners]) listener(this.current);
  }
}

/** A MetricsSink for the monitor's reporters: successful requests feed the latency estimate. */
export function latencyFeed(store: ConnectivityStore): MetricsSink {
  return {
    record(metric: RequestMetric): void {
      if (metric.ok && metric.cache !== 'hit') store.reportLatency(metric.networkMs);
    },
  };
}

function cancelled(reason: unknown): AppError {
  return new AppError({ kind: 'cancelled', message: 'cancelled', cause: reason });
}
