import type { DevStats } from '../../../typings/dev';

const bump = (map: Record<string, number>, key: string): void => {
  map[key] = (map[key] ?? 0) + 1;
};

/** Counters the e2e specs and benchmarks read through GET /__dev/stats. */
export class DevCounters {
  private stats: DevStats = DevCounters.empty();

  static empty(): DevStats {
    return {
      logins: 0,
      requests: {},
      notModified: {},
      conditional: {},
      favoritesApplied: 0,
      chunks: {},
      chatMessages: 0,
    };
  }

  snapshot(): DevStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = DevCounters.empty();
  }

  request(method: string, path: string, conditional: boolean): void {
    bump(this.stats.requests, `${method} ${path}`);
    if (conditional) bump(this.stats.conditional, path);
  }

  notModified(path: string): void {
    bump(this.stats.notModified, path);
  }

  login(): void {
    this.stats.logins++;
  }

  favoriteApplied(): void {
    this.stats.favoritesApplied++;
  }

  chunk(uploadId: string, index: number): void {
    bump((this.stats.chunks[uploadId] ??= {}), String(index));
  }

  chatMessage(): void {
    this.stats.chatMessages++;
  }
}
