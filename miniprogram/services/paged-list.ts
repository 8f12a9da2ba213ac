/**
 * The product list's paging state, and the setData patch each change needs.
 *
 * - Pages may be requested ahead of each other and answer in any order: a page is shown only
 *   once every page before it is shown (later ones wait in a buffer), so there are no gaps.
 * - Items already shown (by id) are dropped from later pages, so inserts on the server between
 *   two page loads cause no duplicates.
 * - Answers for an older query (a new search, a refresh) are ignored by generation.
 * - A second page-1 answer (stale-while-revalidate) that changed the list starts it over from
 *   page 1 without a new generation; the pages the person already asked for are then `stalled`
 *   until the caller requests them again, so a reach-bottom is never lost to a revalidation.
 * - Appending sends only the new items with path keys (`'list[40]'`), never the whole list, so
 *   the payload of page 10 is the size of page 1.
 */

export interface PageAnswer<T> {
  list: readonly T[];
  current: number;
  pageSize: number;
  total: number;
}

/** What `setData` receives: path keys such as `'list[40]'` plus the list's flags. */
export type ListPatch = Record<string, unknown>;

export interface PageTicket {
  page: number;
  generation: number;
}

export class PagedList<T extends { id: string }> {
  private generationValue = 0;
  private items: T[] = [];
  private readonly seen = new Set<string>();
  private readonly buffered = new Map<number, PageAnswer<T>>();
  private readonly requested = new Set<number>();
  /** First page not shown yet. */
  private nextPage = 1;
  private total: number | undefined;
  private exhausted = false;
  /** Page size of the answers seen, to know the last page from `total`. */
  private pageSizeGuess = 0;
  /** Highest page the person asked for (reach-bottom) in this generation. */
  private demanded = 1;

  constructor(private readonly key = 'list') {}

  get generation(): number {
    return this.generationValue;
  }

  get length(): number {
    return this.items.length;
  }

  get hasMore(): boolean {
    return !this.exhausted;
  }

  /** True until the first page of the current generation is shown. */
  get firstPagePending(): boolean {
    return this.nextPage === 1;
  }

  get view(): readonly T[] {
    return this.items;
  }

  indexOf(id: string): number {
    if (!this.seen.has(id)) return -1;
    return this.items.findIndex((item) => item.id === id);
  }

  /**
   * True when a page the person asked for is neither shown, nor requested, nor buffered: a
   * revalidated page 1 replaced the list below it. The caller should request `next()` again.
   */
  get stalled(): boolean {
    if (this.exhausted || this.nextPage === 1 || this.nextPage > this.demanded) return false;
    return !this.requested.has(this.nextPage) && !this.buffered.has(this.nextPage);
  }

  /**
   * Starts over (new search, refresh): answers for older tickets are ignored from now on.
   * Items stay on screen until the new first page replaces them, unless `clear` (another
   * category: the old items would be wrong, not just old).
   */
  restart(options: { clear?: boolean } = {}): PageTicket {
    this.generationValue += 1;
    if (options.clear) {
      this.items = [];
      this.seen.clear();
    }
    this.demanded = 1;
    this.buffered.clear();
    this.requested.clear();
    this.nextPage = 1;
    this.total = undefined;
    this.exhausted = false;
    this.requested.add(1);
    return { page: 1, generation: this.generationValue };
  }

  /** The next page to request, or undefined when everything is shown or already requested. */
  next(): PageTicket | undefined {
    if (this.exhausted) return undefined;
    let page = this.nextPage;
    while (this.requested.has(page) || this.buffered.has(page)) page += 1;
    if (this.total !== undefined && this.pageSizeGuess > 0) {
      const lastPage = Math.max(1, Math.ceil(this.total / this.pageSizeGuess));
      if (page > lastPage) return undefined;
    }
    this.requested.add(page);
    this.demanded = Math.max(this.demanded, page);
    return { page, generation: this.generationValue };
  }

  /** A request failed: its page can be requested again; later pages wait in the buffer. */
  fail(ticket: PageTicket): void {
    if (ticket.generation !== this.generationValue) return;
    this.requested.delete(ticket.page);
    // The footer offers the retry; a failed page is not asked for again on its own.
    this.demanded = Math.min(this.demanded, ticket.page - 1);
  }

  /** Whether a page of the current generation is requested and not yet answered. */
  get loading(): boolean {
    return [...this.requested].some((page) => page >= this.nextPage && !this.buffered.has(page));
  }

  /**
   * Takes the answer for `ticket`. Returns the patch for setData, or undefined when nothing on
   * screen changes (an old generation, a page waiting for an earlier one, a page already shown).
   */
  accept(ticket: PageTicket, answer: PageAnswer<T>): ListPatch | undefined {
    if (ticket.generation !== this.generationValue) return undefined;
    this.requested.delete(ticket.page);
    this.pageSizeGuess = answer.pageSize;
    this.total = answer.total;
    if (ticket.page === 1) return this.refreshFirst(answer) ?? this.replace(answer);
    if (ticket.page < this.nextPage) return undefined;
    this.buffered.set(ticket.page, answer);
    if (ticket.page !== this.nextPage) return undefined;
    return this.flushBuffered();
  }

  /** Replaces one item (e.g. its favorite flag changed); undefined if it is not shown. */
  update(id: string, change: (item: T) => T): ListPatch | undefined {
    const index = this.indexOf(id);
    if (index < 0) return undefined;
    const updated = change(this.items[index]);
    this.items[index] = updated;
    return { [`${this.key}[${index}]`]: updated };
  }

  /**
   * A second answer for page 1 (the fresh data after a cached one) while later pages are shown:
   * when it holds the same items in the same order, only the changed ones are patched and the
   * pages below stay. Otherwise undefined: the list starts over from this page.
   */
  private refreshFirst(answer: PageAnswer<T>): ListPatch | undefined {
    if (this.nextPage <= 2 || answer.list.length > this.items.length) return undefined;
    const same = answer.list.every((item, index) => item.id === this.items[index].id);
    if (!same) return undefined;
    const patch: ListPatch = {};
    answer.list.forEach((item, index) => {
      if (JSON.stringify(item) === JSON.stringify(this.items[index])) return;
      this.items[index] = item;
      patch[`${this.key}[${index}]`] = item;
    });
    return { ...patch, ...this.flags() };
  }

  private replace(answer: PageAnswer<T>): ListPatch {
    this.items = [];
    this.seen.clear();
    this.buffered.delete(1);
    this.appendUnique(answer.list);
    this.nextPage = 2;
    this.exhausted = this.isLast(answer);
    // Pages 2+ may have been answered before page 1 of this generation; the whole list goes
    // out once here, so their path keys are not needed.
    this.flushBuffered();
    return { [this.key]: this.items.slice(), ...this.flags() };
  }

  private flushBuffered(): ListPatch {
    const patch: ListPatch = {};
    while (!this.exhausted && this.buffered.has(this.nextPage)) {
      const answer = this.buffered.get(this.nextPage) as PageAnswer<T>;
      this.buffered.delete(this.nextPage);
      const start = this.items.length;
      const added = this.appendUnique(answer.list);
      added.forEach((item, offset) => {
        patch[`${this.key}[${start + offset}]`] = item;
      });
      this.nextPage += 1;
      this.exhausted = this.isLast(answer);
    }
    if (this.exhausted) this.buffered.clear();
    return { ...patch, ...this.flags() };
  }

  private appendUnique(list: readonly T[]): T[] {
    const added: T[] = [];
    for (const item of list) {
      if (this.seen.has(item.id)) continue;
      this.seen.add(item.id);
      this.items.push(item);
      added.push(item);
    }
    return added;
  }

  private isLast(answer: PageAnswer<T>): boolean {
    return answer.list.length < answer.pageSize || answer.current * answer.pageSize >= answer.total;
  }

  private flags(): ListPatch {
    return { hasMore: !this.exhausted, total: this.total ?? 0 };
  }
}
