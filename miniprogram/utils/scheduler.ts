/**
 * One queue for every network task (request, upload, download) under WeChat's limit of 10
 * concurrent tasks. The waiting task with the best priority (high > normal > low) starts first,
 * oldest first within a priority, with two guards against starvation: low-priority work may hold
 * at most 8 slots (normal work always finds room), and every 4th pick from the queue takes the
 * oldest waiting task whatever its priority.
 * Cancelling a queued task removes it at once; offline-held tasks start when back online.
 */
import type { Connectivity, Priority, ScheduleOptions, TaskScheduler } from './contracts';
import { cancelledError, offlineError } from './errors';

export interface SchedulerOptions {
  connectivity?: Connectivity;
  now?: () => number;
}

type Task<T> = (info: { queuedMs: number }) => Promise<T>;

interface Waiting {
  priority: Priority;
  offline?: 'queue' | 'fail';
  /** Leaves the queue: runs the task (or rejects it when it may no longer run). */
  start: () => void;
}

/** The scheduler's numbers (a const enum: the bundle gets the values inlined, not named constants). */
const enum Limit {
  /** WeChat's limit, shared by request, uploadFile and downloadFile. */
  Concurrent = 10,
  /** Slots low-priority work may hold at once (normal and high work always find room). */
  ConcurrentLow = Concurrent - 2,
  /** Every FairTurn-th pick from the queue takes the oldest waiting task. */
  FairTurn = 4,
}
const RANK: Record<Priority, number> = { high: 0, normal: 1, low: 2 };
/** Shared by every task that started at once (no object per request). */
const NO_WAIT = { queuedMs: 0 };

export class Scheduler implements TaskScheduler {
  /** Tasks running now. Read-only for callers. */
  active = 0;
  /** The most tasks ever running at once (for tests and diagnostics). Read-only for callers. */
  maxObserved = 0;
  private activeLow = 0;
  /** In arrival order. */
  private readonly queue: Waiting[] = [];
  /** Picks from the queue so far. */
  private turns = 0;
  private readonly now: () => number;
  private readonly connectivity?: Connectivity;

  constructor({ connectivity, now = Date.now }: SchedulerOptions = {}) {
    this.now = now;
    this.connectivity = connectivity;
    if (connectivity) {
      connectivity.subscribe((state) => {
        if (state.online) this.flush();
      });
    }
  }

  get queued(): number {
    return this.queue.length;
  }

  schedule<T>(
    task: Task<T>,
    { signal, offline, priority = 'normal' }: ScheduleOptions = {},
  ): Promise<T> {
    if (signal && signal.aborted) return Promise.reject(cancelledError(signal.reason));
    if (offline === 'fail' && this.isOffline()) return Promise.reject(offlineError());
    if (this.active < Limit.Concurrent && !this.queue.length && this.ready(priority, offline)) {
      // Fast path (the common case): a free slot and nobody waiting, so no queue entry.
      return this.run(task, priority, NO_WAIT);
    }
    return new Promise<T>((resolve, reject) => {
      const enqueuedAt = this.now();
      // Listens only while queued: `start` detaches when the entry leaves the queue.
      const detach =
        signal &&
        signal.onAbort((reason) => {
          this.remove(entry);
          reject(cancelledError(reason));
        });
      const entry: Waiting = {
        priority,
        offline,
        start: () => {
          if (detach) detach();
          // Went offline while it waited: fail fast, as the caller asked.
          if (offline === 'fail' && this.isOffline()) reject(offlineError());
          else
            this.run(task, priority, { queuedMs: this.now() - enqueuedAt }).then(resolve, reject);
        },
      };
      this.queue.push(entry);
      this.flush();
    });
  }

  /** Takes a slot, runs the task, and frees the slot however the task ends. */
  private run<T>(task: Task<T>, priority: Priority, info: { queuedMs: number }): Promise<T> {
    const low = priority === 'low';
    this.active++;
    if (low) this.activeLow++;
    this.maxObserved = Math.max(this.maxObserved, this.active);
    const release = (): void => {
      this.active--;
      if (low) this.activeLow--;
      this.flush();
    };
    let result: Promise<T>;
    try {
      result = task(info);
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.then(
      (value) => {
        release();
        return value;
      },
      (error: unknown) => {
        release();
        throw error;
      },
    );
  }

  private isOffline(): boolean {
    return !!this.connectivity && !this.connectivity.state.online;
  }

  /** Whether a task may take a free slot now (low work has a cap; 'queue' work waits offline). */
  private ready(priority: Priority, offline: Waiting['offline']): boolean {
    if (offline === 'queue' && this.isOffline()) return false;
    return priority !== 'low' || this.activeLow < Limit.ConcurrentLow;
  }

  private remove(entry: Waiting): void {
    const index = this.queue.indexOf(entry);
    if (index >= 0) this.queue.splice(index, 1);
  }

  /** Starts waiting tasks while there are free slots. */
  private flush(): void {
    while (this.active < Limit.Concurrent) {
      // The best-ranked ready task; every FairTurn-th time the oldest (the queue is FIFO).
      const oldestFirst = ++this.turns % Limit.FairTurn === 0;
      let chosen: Waiting | undefined;
      for (const entry of this.queue) {
        if (!this.ready(entry.priority, entry.offline)) continue;
        if (!chosen || RANK[entry.priority] < RANK[chosen.priority]) chosen = entry;
        if (oldestFirst) break;
      }
      if (!chosen) return;
      this.remove(chosen);
      chosen.start();
    }
  }
}
