/**
 * One queue for every network task (request, upload, download) under WeChat's limit of 10
 * concurrent tasks. Priority lanes high > normal > low, with two guards against starvation:
 * low-priority work may hold at most `lowPriorityMax` slots (normal work always finds room), and
 * every `fairnessInterval`-th start goes to the oldest waiting task whatever its lane.
 * Cancelling a queued task removes it at once; offline-held tasks start when back online.
 */
import type { CancelSignal } from './cancel';
import type { Connectivity, Priority, ScheduleOptions, TaskKind, TaskScheduler } from './contracts';
import { AppError } from './errors';

export const WECHAT_MAX_CONCURRENT = 10;

export interface SchedulerOptions {
  /** Default 10 (WeChat's limit shared by request, uploadFile and downloadFile). */
  maxConcurrent?: number;
  /** Slots low-priority tasks may hold at once. Default maxConcurrent - 2. */
  lowPriorityMax?: number;
  /** Every Nth start goes to the oldest waiting task. Default 4. */
  fairnessInterval?: number;
  connectivity?: Connectivity;
  now?: () => number;
}

interface QueuedTask {
  seq: number;
  priority: Priority;
  kind: TaskKind;
  label?: string;
  offline?: 'queue' | 'fail';
  enqueuedAt: number;
  start: (queuedMs: number) => void;
  fail: (error: AppError) => void;
  detach: () => void;
}

const LANES: readonly Priority[] = ['high', 'normal', 'low'];
/** Shared by every task that started at once (no object per request). */
const NO_WAIT: { readonly queuedMs: number } = Object.freeze({ queuedMs: 0 });

export class Scheduler implements TaskScheduler {
  private readonly lanes: Record<Priority, QueuedTask[]> = { high: [], normal: [], low: [] };
  private running = 0;
  private runningLow = 0;
  private starts = 0;
  private seq = 0;
  private peak = 0;
  private readonly max: number;
  private readonly lowMax: number;
  private readonly fairness: number;
  private readonly now: () => number;
  private readonly connectivity?: Connectivity;

  constructor(options: SchedulerOptions = {}) {
    this.max = Math.max(1, options.maxConcurrent ?? WECHAT_MAX_CONCURRENT);
    this.lowMax = Math.max(1, Math.min(this.max, options.lowPriorityMax ?? this.max - 2));
    this.fairness = Math.max(2, options.fairnessInterval ?? 4);
    this.now = options.now ?? Date.now;
    this.connectivity = options.connectivity;
    this.connectivity?.subscribe((state) => {
      if (state.online) this.pump();
    });
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.lanes.high.length + this.lanes.normal.length + this.lanes.low.length;
  }

  /** The most tasks ever running at once (for tests and the monitor page). */
  get maxObserved(): number {
    return this.peak;
  }

  schedule<T>(
    task: (info: { queuedMs: number }) => Promise<T>,
    options: ScheduleOptions = {},
  ): Promise<T> {
    const signal: CancelSignal | undefined = options.signal;
    if (signal?.aborted) {
      return Promise.reject(new AppError({ kind: 'cancelled', cause: signal.reason }));
    }
    if (options.offline === 'fail' && this.isOffline()) {
      return Promise.reject(new AppError({ kind: 'offline', message: 'offline' }));
    }
    const priority = options.priority ?? 'normal';
    if (this.canStartAtOnce(priority, options.offline)) {
      // Fast path (the common case): a free slot and nobody waiting, so no queue entry.
      this.running++;
      if (priority === 'low') this.runningLow++;
      this.peak = Math.max(this.peak, this.running);
      this.starts++;
      let result: Promise<T>;
      try {
        result = task(NO_WAIT);
      } catch (error) {
        result = Promise.reject(error);
      }
      return result.then(
        (value) => {
          this.finish(priority);
          return value;
        },
        (error: unknown) => {
          this.finish(priority);
          throw error;
        },
      );
    }
    return new Promise<T>((resolve, reject) => {
      let unsubscribe: () => void = () => undefined;
      const entry: QueuedTask = {
        seq: this.seq++,
        priority,
        kind: options.kind ?? 'request',
        label: options.label,
        offline: options.offline,
        enqueuedAt: this.now(),
        detach: () => unsubscribe(),
        fail: reject,
        start: (queuedMs) => {
          let result: Promise<T>;
          try {
            result = task({ queuedMs });
          } catch (error) {
            result = Promise.reject(error);
          }
          result.then(
            (value) => {
              this.release(entry);
              resolve(value);
            },
            (error: unknown) => {
              this.release(entry);
              reject(error);
            },
          );
        },
      };
      if (signal) {
        unsubscribe = signal.onAbort((reason) => {
          if (this.remove(entry)) reject(new AppError({ kind: 'cancelled', cause: reason }));
        });
      }
      this.lanes[priority].push(entry);
      this.pump();
    });
  }

  private isOffline(): boolean {
    return this.connectivity !== undefined && !this.connectivity.state.online;
  }

  private remove(entry: QueuedTask): boolean {
    const lane = this.lanes[entry.priority];
    const index = lane.indexOf(entry);
    if (index < 0) return false;
    lane.splice(index, 1);
    return true;
  }

  private eligible(entry: QueuedTask, offline: boolean): boolean {
    if (offline && entry.offline === 'queue') return false;
    return entry.priority !== 'low' || this.runningLow < this.lowMax;
  }

  private pick(): QueuedTask | undefined {
    const offline = this.isOffline();
    const fair = (this.starts + 1) % this.fairness === 0;
    let chosen: QueuedTask | undefined;
    for (const lane of LANES) {
      for (const entry of this.lanes[lane]) {
        if (!this.eligible(entry, offline)) continue;
        if (!fair) {
          chosen = entry;
          break;
        }
        if (!chosen || entry.seq < chosen.seq) chosen = entry;
        break; // lanes are FIFO: the first eligible entry is that lane's oldest
      }
      if (chosen && !fair) break;
    }
    return chosen;
  }

  private pump(): void {
    while (this.running < this.max) {
      const entry = this.pick();
      if (!entry) return;
      if (entry.offline === 'fail' && this.isOffline()) {
        // Went offline while it waited: fail fast, as the caller asked.
        this.remove(entry);
        entry.detach();
        entry.fail(new AppError({ kind: 'offline', message: 'offline' }));
        continue;
      }
      this.remove(entry);
      entry.detach();
      this.starts++;
      this.running++;
      if (entry.priority === 'low') this.runningLow++;
      this.peak = Math.max(this.peak, this.running);
      entry.start(this.now() - entry.enqueuedAt);
    }
  }

  private canStartAtOnce(priority: Priority, offline: 'queue' | 'fail' | undefined): boolean {
    if (this.running >= this.max || this.queued > 0) return false;
    if (priority === 'low' && this.runningLow >= this.lowMax) return false;
    return !(offline === 'queue' && this.isOffline());
  }

  private release(entry: QueuedTask): void {
    this.finish(entry.priority);
  }

  private finish(priority: Priority): void {
    this.running--;
    if (priority === 'low') this.runningLow--;
    this.pump();
  }
}
