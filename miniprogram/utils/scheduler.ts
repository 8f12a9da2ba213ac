/**
 * One queue for every network task (request, upload, download) under WeChat's limit of 10
 * concurrent tasks. Priority lanes high > normal > low, with two guards against starvation:
 * low-priority work may hold at most `lowPriorityMax` slots (normal work always finds room), and
 * every `fairnessInterval`-th start goes to the oldest waiting task whatever its lane.
 * Cancelling a queued task removes it at once; offline-held tasks start when back online.
 */
import type { Connectivity, Priority, ScheduleOptions, TaskScheduler } from './contracts';
import { cancelledError, offlineError, type AppError } from './errors';

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

  constructor({
    maxConcurrent = WECHAT_MAX_CONCURRENT,
    lowPriorityMax = maxConcurrent - 2,
    fairnessInterval = 4,
    connectivity,
    now = Date.now,
  }: SchedulerOptions = {}) {
    this.max = Math.max(1, maxConcurrent);
    this.lowMax = Math.max(1, Math.min(this.max, lowPriorityMax));
    this.fairness = Math.max(2, fairnessInterval);
    this.now = now;
    this.connectivity = connectivity;
    if (connectivity) {
      connectivity.subscribe((state) => {
        if (state.online) this.pump();
      });
    }
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
    { signal, offline, priority = 'normal' }: ScheduleOptions = {},
  ): Promise<T> {
    if (signal && signal.aborted) return Promise.reject(cancelledError(signal.reason));
    if (offline === 'fail' && this.isOffline()) return Promise.reject(offlineError());
    if (this.running < this.max && this.queued === 0 && this.startable(priority, offline)) {
      // Fast path (the common case): a free slot and nobody waiting, so no queue entry.
      return this.run(task, priority, NO_WAIT);
    }
    return new Promise<T>((resolve, reject) => {
      const entry: QueuedTask = {
        seq: this.seq++,
        priority,
        offline,
        enqueuedAt: this.now(),
        detach: () => undefined,
        fail: reject,
        start: (queuedMs) => this.run(task, priority, { queuedMs }).then(resolve, reject),
      };
      if (signal) {
        entry.detach = signal.onAbort((reason) => {
          if (this.remove(entry)) reject(cancelledError(reason));
        });
      }
      this.lanes[priority].push(entry);
      this.pump();
    });
  }

  /** Takes a slot, runs the task, and frees the slot however the task ends. */
  private run<T>(
    task: (info: { queuedMs: number }) => Promise<T>,
    priority: Priority,
    info: { queuedMs: number },
  ): Promise<T> {
    const low = priority === 'low';
    this.running++;
    if (low) this.runningLow++;
    this.peak = Math.max(this.peak, this.running);
    this.starts++;
    const done = (): void => {
      this.running--;
      if (low) this.runningLow--;
      this.pump();
    };
    let result: Promise<T>;
    try {
      result = task(info);
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.then(
      (value) => {
        done();
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  private isOffline(): boolean {
    return this.connectivity !== undefined && !this.connectivity.state.online;
  }

  private remove(entry: QueuedTask): boolean {
    const lane = this.lanes[entry.priority];
    const index = lane.indexOf(entry);
    if (index >= 0) lane.splice(index, 1);
    return index >= 0;
  }

  /** Whether a task may take a free slot now (low work has a cap; 'queue' work waits offline). */
  private startable(priority: Priority, offline: QueuedTask['offline']): boolean {
    if (offline === 'queue' && this.isOffline()) return false;
    return priority !== 'low' || this.runningLow < this.lowMax;
  }

  /** By lane; every `fairness`-th start goes to the oldest startable task whatever its lane. */
  private pick(): QueuedTask | undefined {
    const fair = (this.starts + 1) % this.fairness === 0;
    let chosen: QueuedTask | undefined;
    for (const lane of LANES) {
      // Lanes are FIFO: the first startable entry is that lane's oldest.
      const entry = this.lanes[lane].find((queued) =>
        this.startable(queued.priority, queued.offline),
      );
      if (entry && (!chosen || entry.seq < chosen.seq)) chosen = entry;
      if (chosen && !fair) break;
    }
    return chosen;
  }

  private pump(): void {
    let entry: QueuedTask | undefined;
    while (this.running < this.max && (entry = this.pick())) {
      this.remove(entry);
      entry.detach();
      // Went offline while it waited: fail fast, as the caller asked.
      if (entry.offline === 'fail' && this.isOffline()) entry.fail(offlineError());
      else entry.start(this.now() - entry.enqueuedAt);
    }
  }
}
