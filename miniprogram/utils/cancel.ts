/**
 * Cancellation for a runtime that has no AbortController (older WeChat base libraries).
 * A `CancelSource` owns a `CancelSignal`; `linkSignals` makes one signal follow several.
 */

export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `listener` once when the signal aborts (at once if it already has). Returns an unsubscribe. */
  onAbort(listener: (reason: unknown) => void): () => void;
}

const NOOP = (): void => undefined;

/**
 * Owns one signal and aborts it with `cancel`. The source is its own signal object (one object
 * per request, not two): hand out `signal`, typed as a plain CancelSignal, and keep `cancel`.
 */
export class CancelSource implements CancelSignal {
  aborted = false;
  reason: unknown;
  readonly signal: CancelSignal = this;
  /** Made on the first subscription: most signals (one per request) never get one. */
  private listeners?: Set<(reason: unknown) => void>;

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.aborted) {
      listener(this.reason);
      return NOOP;
    }
    const listeners = this.listeners || (this.listeners = new Set());
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  cancel(reason: unknown = 'cancelled'): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    // Over a copy: a listener may unsubscribe others, and each must still hear the abort.
    if (listeners) for (const listener of [...listeners]) listener(reason);
  }
}

/** A source that aborts when any of `signals` does (and can also be cancelled itself). */
export function linkSignals(...signals: Array<CancelSignal | undefined>): CancelSource {
  return linkSignalsDisposable(...signals).source;
}

/** Requests cancelled together, e.g. everything a page started, on `onUnload`. Reusable after `cancelAll`. */
export class CancelGroup {
  private source = new CancelSource();

  get signal(): CancelSignal {
    return this.source; // a CancelSource is its own signal
  }

  /** `reason` defaults to CancelSource's. */
  cancelAll(reason?: unknown): void {
    const previous = this.source;
    this.source = new CancelSource();
    previous.cancel(reason);
  }
}

/**
 * Like `linkSignals`, plus `dispose()` to stop following the parents without aborting — for
 * requests that finished while their page (a long-lived signal) lives on, so listeners never pile up.
 */
export function linkSignalsDisposable(...signals: Array<CancelSignal | undefined>): {
  source: CancelSource;
  dispose: () => void;
} {
  const source = new CancelSource();
  const follow = (reason: unknown): void => source.cancel(reason);
  // Plain loops: this runs for every request.
  const unsubscribes: Array<() => void> = [];
  for (const signal of signals) if (signal) unsubscribes.push(signal.onAbort(follow));
  const dispose = (): void => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
  source.onAbort(dispose);
  return { source, dispose };
}

/** A signal that never aborts: requests that follow nothing share it instead of allocating one. */
export const NEVER_CANCELLED: CancelSignal = {
  aborted: false,
  reason: undefined,
  onAbort: () => NOOP,
};
