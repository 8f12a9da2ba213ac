/**
 * request/uploadFile/downloadFile share 10 concurrent slots. Newer base libraries queue calls
 * beyond the limit instead of failing them (older ones failed with "exceed max task count"), so
 * the simulator queues: the 11th call starts when one of the 10 finishes.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function once a slot is free; `cancel` drops a queued wait. */
  acquire(): { ready: Promise<() => void>; cancel(): void } {
    let start!: () => void;
    const ready = new Promise<() => void>((resolve) => {
      start = () => {
        this.running++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.running--;
          this.waiting.shift()?.();
        });
      };
    });
    if (this.running < this.limit) start();
    else this.waiting.push(start);
    return {
      ready,
      cancel: () => {
        const i = this.waiting.indexOf(start);
        if (i >= 0) this.waiting.splice(i, 1);
      },
    };
  }
}
