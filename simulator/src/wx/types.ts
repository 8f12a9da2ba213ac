/** A wx API as the app sees it. Arguments come from app code, so every API validates them. */
export type WxFunction = (...args: unknown[]) => unknown;

/** A listener registry for `wx.onX`/`wx.offX` pairs and task `onX`/`offX` methods. */
export class Listeners<T extends unknown[]> {
  private readonly fns = new Set<(...args: T) => void>();

  constructor(private readonly onError: (error: unknown) => void) {}

  add(fn: unknown): void {
    if (typeof fn === 'function') this.fns.add(fn as (...args: T) => void);
  }

  /** `off()` without a function removes every listener, as WeChat's off* methods do. */
  remove(fn?: unknown): void {
    if (fn === undefined) this.fns.clear();
    else this.fns.delete(fn as (...args: T) => void);
  }

  get size(): number {
    return this.fns.size;
  }

  emit(...args: T): void {
    for (const fn of [...this.fns]) {
      try {
        fn(...args);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
