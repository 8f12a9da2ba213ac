/** What a page controller needs from its Page: the data and setData (a fake in tests). */
export interface PageView<D> {
  readonly data: D;
  setData(patch: Record<string, unknown>, callback?: () => void): void;
}

/** Page-owned subscriptions released together in onUnload. */
export class Subscriptions {
  private readonly items: Array<() => void> = [];

  add(...unsubscribes: Array<() => void>): void {
    this.items.push(...unsubscribes);
  }

  releaseAll(): void {
    for (const unsubscribe of this.items.splice(0)) unsubscribe();
  }
}
