/**
 * WeChat allows at most 5 SocketTasks open at once per mini program. Every socket owner takes a
 * slot from one shared registry before `wx.connectSocket`, and waits for a release when all are
 * taken instead of letting the sixth connect fail.
 */

export const WECHAT_SOCKET_LIMIT = 5;

export class SocketSlotRegistry {
  private readonly holders = new Set<symbol>();
  private readonly waiters = new Set<() => void>();

  constructor(readonly limit: number = WECHAT_SOCKET_LIMIT) {}

  get used(): number {
    return this.holders.size;
  }

  /** A release function, or undefined when every slot is taken. Release is idempotent. */
  tryAcquire(): (() => void) | undefined {
    if (this.holders.size >= this.limit) return undefined;
    const slot = Symbol('socket-slot');
    this.holders.add(slot);
    return () => {
      if (!this.holders.delete(slot)) return;
      for (const waiter of [...this.waiters]) waiter();
    };
  }

  /** Called after any slot is released. Returns an unsubscribe. */
  onRelease(listener: () => void): () => void {
    this.waiters.add(listener);
    return () => {
      this.waiters.delete(listener);
    };
  }
}

/** The registry every socket of the app shares unless a test passes its own. */
export const sharedSocketSlots = new SocketSlotRegistry();
