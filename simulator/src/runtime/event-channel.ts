type Listener = (...args: unknown[]) => unknown;

/**
 * The channel between a page and the page it opened with navigateTo({ events }): the opener's
 * `events` listen to what the new page emits, and both sides may emit/on/once/off.
 */
export class EventChannel {
  private readonly listeners = new Map<string, Array<{ fn: Listener; once: boolean }>>();

  constructor(events?: Record<string, unknown>) {
    for (const [name, fn] of Object.entries(events ?? {})) {
      if (typeof fn === 'function') this.on(name, fn as Listener);
    }
  }

  on = (name: string, fn: Listener): void => {
    this.add(name, fn, false);
  };

  once = (name: string, fn: Listener): void => {
    this.add(name, fn, true);
  };

  off = (name: string, fn?: Listener): void => {
    if (!fn) this.listeners.delete(name);
    else
      this.listeners.set(
        name,
        (this.listeners.get(name) ?? []).filter((entry) => entry.fn !== fn),
      );
  };

  emit = (name: string, ...args: unknown[]): void => {
    const entries = [...(this.listeners.get(name) ?? [])];
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((entry) => !entry.once),
    );
    for (const entry of entries) entry.fn(...args);
  };

  private add(name: string, fn: Listener, once: boolean): void {
    if (typeof name !== 'string' || typeof fn !== 'function') {
      throw new TypeError('EventChannel: expected (eventName: string, listener: function)');
    }
    const list = this.listeners.get(name) ?? [];
    list.push({ fn, once });
    this.listeners.set(name, list);
  }
}
