type Callback = (...args: unknown[]) => unknown;

/**
 * setTimeout/setInterval for app code: numeric ids as WeChat returns, errors reported instead
 * of crashing the host, everything cleared when the simulator closes and nothing started after.
 */
export class AppTimers {
  private nextId = 1;
  private readonly handles = new Map<number, { handle: NodeJS.Timeout; repeat: boolean }>();
  private disposed = false;

  constructor(private readonly report: (error: unknown) => void) {}

  setTimeout = (fn: unknown, delay?: unknown, ...args: unknown[]): number =>
    this.start(fn, delay, args, false);

  setInterval = (fn: unknown, delay?: unknown, ...args: unknown[]): number =>
    this.start(fn, delay, args, true);

  clearTimeout = (id: unknown): void => this.clear(id);

  clearInterval = (id: unknown): void => this.clear(id);

  dispose(): void {
    this.disposed = true;
    for (const { handle, repeat } of this.handles.values()) {
      if (repeat) clearInterval(handle);
      else clearTimeout(handle);
    }
    this.handles.clear();
  }

  private start(fn: unknown, delay: unknown, args: unknown[], repeat: boolean): number {
    if (typeof fn !== 'function') throw new TypeError('callback must be a function');
    const id = this.nextId++;
    // The app may still run after close (a promise settling, a retry loop): its new timers must
    // not keep the host process alive, so they are never started.
    if (this.disposed) return id;
    const ms = typeof delay === 'number' && Number.isFinite(delay) ? Math.max(0, delay) : 0;
    const run = (): void => {
      if (!repeat) this.handles.delete(id);
      try {
        (fn as Callback)(...args);
      } catch (error) {
        this.report(error);
      }
    };
    const handle = repeat ? setInterval(run, ms) : setTimeout(run, ms);
    this.handles.set(id, { handle, repeat });
    return id;
  }

  private clear(id: unknown): void {
    const entry = typeof id === 'number' ? this.handles.get(id) : undefined;
    if (!entry) return;
    if (entry.repeat) clearInterval(entry.handle);
    else clearTimeout(entry.handle);
    this.handles.delete(id as number);
  }
}
