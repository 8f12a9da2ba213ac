import type { DevStats } from '../../../typings/dev';

/**
 * Distinct keys kept per counter: paths come from clients (any 404 path counts), so beyond this
 * they are counted together under OTHER instead of growing without bound.
 */
export const MAX_COUNTER_KEYS = 2000;
export const OTHER = '(other)';

class BoundedCounter {
  private readonly counts = new Map<string, number>();

  bump(key: string): void {
    const counted = this.counts.has(key) || this.counts.size < MAX_COUNTER_KEYS ? key : OTHER;
    this.counts.set(counted, (this.counts.get(counted) ?? 0) + 1);
  }

  toRecord(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** Counters the e2e specs and benchmarks read through GET /__dev/stats. */
export class DevCounters {
  private logins = 0;
  private favoritesApplied = 0;
  private chatMessages = 0;
  private requests = new BoundedCounter();
  private notModifiedPaths = new BoundedCounter();
  private conditional = new BoundedCounter();
  private chunks = new Map<string, BoundedCounter>();

  snapshot(): DevStats {
    return {
      logins: this.logins,
      requests: this.requests.toRecord(),
      notModified: this.notModifiedPaths.toRecord(),
      conditional: this.conditional.toRecord(),
      favoritesApplied: this.favoritesApplied,
      chunks: Object.fromEntries(
        [...this.chunks].map(([uploadId, counter]) => [uploadId, counter.toRecord()]),
      ),
      chatMessages: this.chatMessages,
    };
  }

  reset(): void {
    this.logins = 0;
    this.favoritesApplied = 0;
    this.chatMessages = 0;
    this.requests = new BoundedCounter();
    this.notModifiedPaths = new BoundedCounter();
    this.conditional = new BoundedCounter();
    this.chunks = new Map();
  }

  request(method: string, path: string, conditional: boolean): void {
    this.requests.bump(`${method} ${path}`);
    if (conditional) this.conditional.bump(path);
  }

  notModified(path: string): void {
    this.notModifiedPaths.bump(path);
  }

  login(): void {
    this.logins++;
  }

  favoriteApplied(): void {
    this.favoritesApplied++;
  }

  chunk(uploadId: string, index: number): void {
    let counter = this.chunks.get(uploadId);
    if (!counter) {
      const key = this.chunks.size < MAX_COUNTER_KEYS ? uploadId : OTHER;
      counter = this.chunks.get(key) ?? new BoundedCounter();
      this.chunks.set(key, counter);
    }
    counter.bump(String(index));
  }

  chatMessage(): void {
    this.chatMessages++;
  }
}
