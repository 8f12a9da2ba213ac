/**
 * Response cache: memory tier + persistent tier (wx storage), both LRU within byte budgets that
 * respect wx limits (1 MB per key, 10 MB per mini program, shared with the rest of the app).
 * Key = method + URL + sorted params + body hash + user, so users never see each other's data.
 * Entries outlive their TTL (marked stale) so an ETag can revalidate them with a 304.
 * The persistent tier keeps an index under `<prefix>index`; unreadable, foreign or orphaned
 * entries are dropped, never trusted.
 */
import { SafeStorage, storedSize } from './storage';

export interface CacheEntry {
  v: 1;
  key: string;
  user: string;
  /** Path + sorted query (for prefix invalidation). */
  path: string;
  tags: string[];
  data: unknown;
  etag?: string;
  storedAt: number;
  /** Fresh until. */
  expiresAt: number;
  /** Stale data may be served (SWR) until. */
  staleUntil: number;
}

export interface ResponseCacheOptions {
  storage?: SafeStorage;
  /** false keeps everything in memory. Default true. */
  persist?: boolean;
  /** Default 2 MB. */
  memoryBudgetBytes?: number;
  /** Default 5 MB: half of wx's 10 MB, leaving room for the rest of the app. */
  persistentBudgetBytes?: number;
  /** Largest entry stored; default just under wx's 1 MB per key. */
  maxEntryBytes?: number;
  /** Storage key prefix. Default 'rc:'. */
  prefix?: string;
}

export interface InvalidateQuery {
  /** Matches `/api/products` for `/api/products`, `/api/products?x` and `/api/products/1`. */
  prefixes?: string[];
  tags?: string[];
  user?: string;
}

interface IndexRow {
  /** storage key */ s: string;
  /** cache key */ k: string;
  /** path */ p: string;
  /** user */ u: string;
  /** tags */ t: string[];
  /** bytes */ b: number;
}

const MB = 1024 * 1024;

/** 32-bit FNV-1a, hex. Enough to tell bodies apart inside a key that also holds the URL. */
export function hashString(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export function buildCacheKey(method: string, path: string, body: unknown, user: string): string {
  const bodyHash =
    body === undefined ? '-' : hashString(typeof body === 'string' ? body : JSON.stringify(body));
  return `${method} ${path} #${bodyHash} @${user}`;
}

export function matchesPrefix(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  const rest = path.charAt(prefix.length);
  return rest === '' || rest === '/' || rest === '?' || prefix.endsWith('/');
}

function isEntry(value: unknown, key?: string): value is CacheEntry {
  const e = value as CacheEntry | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.v === 1 &&
    typeof e.key === 'string' &&
    (key === undefined || e.key === key) &&
    typeof e.user === 'string' &&
    typeof e.path === 'string' &&
    Array.isArray(e.tags) &&
    typeof e.storedAt === 'number' &&
    typeof e.expiresAt === 'number' &&
    typeof e.staleUntil === 'number' &&
    (e.etag === undefined || typeof e.etag === 'string')
  );
}

function isIndex(value: unknown): value is IndexRow[] {
  return (
    Array.isArray(value) &&
    value.every(
      (row: IndexRow) =>
        typeof row === 'object' &&
        row !== null &&
        typeof row.s === 'string' &&
        typeof row.k === 'string' &&
        typeof row.p === 'string' &&
        typeof row.u === 'string' &&
        Array.isArray(row.t) &&
        typeof row.b === 'number',
    )
  );
}

export class ResponseCache {
  /** Map order = LRU order (oldest first). */
  private readonly memory = new Map<string, { entry: CacheEntry; bytes: number }>();
  private memoryBytes = 0;
  private index?: Map<string, IndexRow>;
  private persistentBytes = 0;
  private readonly storage: SafeStorage;
  private readonly prefix: string;
  private readonly memoryBudget: number;
  private readonly persistentBudget: number;
  private readonly maxEntry: number;
  /** Entries dropped because they were corrupt or foreign (for the monitor and tests). */
  dropped = 0;
  evictions = 0;

  constructor(private readonly options: ResponseCacheOptions = {}) {
    this.storage = options.storage ?? new SafeStorage();
    this.prefix = options.prefix ?? 'rc:';
    this.memoryBudget = options.memoryBudgetBytes ?? 2 * MB;
    this.persistentBudget = options.persistentBudgetBytes ?? 5 * MB;
    this.maxEntry = Math.min(options.maxEntryBytes ?? MB - 1024, MB);
  }

  private get persist(): boolean {
    return this.options.persist !== false;
  }

  private get indexKey(): string {
    return `${this.prefix}index`;
  }

  /** Loads the persistent index once; anything it does not vouch for is removed. */
  private loadIndex(): Map<string, IndexRow> {
    if (this.index) return this.index;
    const index = new Map<string, IndexRow>();
    const stored = this.storage.read(this.indexKey);
    const rows = isIndex(stored) ? stored : [];
    if (stored !== undefined && !isIndex(stored)) this.dropped++;
    for (const row of rows) index.set(row.k, row);
    const known = new Set(rows.map((row) => row.s));
    for (const key of this.storage.keys(this.prefix)) {
      if (key !== this.indexKey && !known.has(key)) {
        this.storage.remove(key);
        this.dropped++;
      }
    }
    this.index = index;
    this.persistentBytes = rows.reduce((sum, row) => sum + row.b, 0);
    return index;
  }

  private saveIndex(): void {
    if (!this.index) return;
    const result = this.storage.write(this.indexKey, [...this.index.values()]);
    if (!result.ok) {
      // Without a trustworthy index the persistent tier is unusable: start over.
      for (const row of this.index.values()) this.storage.remove(row.s);
      this.index.clear();
      this.persistentBytes = 0;
      this.storage.remove(this.indexKey);
    }
  }

  get(key: string): CacheEntry | undefined {
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      if (this.persist) this.touchPersistent(key);
      return hit.entry;
    }
    if (!this.persist) return undefined;
    const row = this.loadIndex().get(key);
    if (!row) return undefined;
    const value = this.storage.read(row.s);
    if (!isEntry(value, key)) {
      this.dropped++;
      this.removePersistent(key);
      this.saveIndex();
      return undefined;
    }
    this.touchPersistent(key);
    this.putMemory(value, row.b);
    return value;
  }

  private touchPersistent(key: string): void {
    const index = this.loadIndex();
    const row = index.get(key);
    if (!row) return;
    index.delete(key);
    index.set(key, row);
  }

  /** Stores an entry; returns false when it is too large for any tier. */
  set(entry: CacheEntry): boolean {
    const bytes = storedSize(this.storageKeyFor(entry.key), entry);
    if (bytes === undefined) return false;
    this.remove(entry.key, false);
    const inMemory = bytes <= this.memoryBudget;
    if (inMemory) this.putMemory(entry, bytes);
    const persisted = this.persist && bytes <= this.maxEntry && this.putPersistent(entry, bytes);
    return inMemory || persisted;
  }

  private putMemory(entry: CacheEntry, bytes: number): void {
    const existing = this.memory.get(entry.key);
    if (existing) {
      this.memory.delete(entry.key);
      this.memoryBytes -= existing.bytes;
    }
    while (this.memoryBytes + bytes > this.memoryBudget && this.memory.size > 0) {
      const [oldestKey, oldest] = this.memory.entries().next().value as [string, { bytes: number }];
      this.memory.delete(oldestKey);
      this.memoryBytes -= oldest.bytes;
      this.evictions++;
    }
    this.memory.set(entry.key, { entry, bytes });
    this.memoryBytes += bytes;
  }

  private storageKeyFor(key: string): string {
    return `${this.prefix}${hashString(key)}${hashString(`${key}\u0000`)}`;
  }

  private putPersistent(entry: CacheEntry, bytes: number): boolean {
    const index = this.loadIndex();
    const row: IndexRow = {
      s: this.storageKeyFor(entry.key),
      k: entry.key,
      p: entry.path,
      u: entry.user,
      t: entry.tags,
      b: bytes,
    };
    this.evictPersistentUntil(bytes);
    for (let attempt = 0; attempt < 4; attempt++) {
      const result = this.storage.write(row.s, entry);
      if (result.ok) {
        index.set(entry.key, row);
        this.persistentBytes += bytes;
        this.saveIndex();
        return true;
      }
      // The app's other data may have filled wx's 10 MB: free our oldest entries and try again.
      if (result.reason !== 'quota' || !this.evictOldestPersistent()) break;
    }
    this.saveIndex();
    return false;
  }

  private evictPersistentUntil(incoming: number): void {
    while (this.persistentBytes + incoming > this.persistentBudget && this.evictOldestPersistent());
  }

  private evictOldestPersistent(): boolean {
    const index = this.loadIndex();
    const oldest = index.keys().next();
    if (oldest.done) return false;
    this.removePersistent(oldest.value);
    this.evictions++;
    return true;
  }

  private removePersistent(key: string): void {
    const index = this.loadIndex();
    const row = index.get(key);
    if (!row) return;
    index.delete(key);
    this.persistentBytes -= row.b;
    this.storage.remove(row.s);
  }

  remove(key: string, save = true): void {
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memoryBytes -= hit.bytes;
    }
    if (this.persist && this.loadIndex().has(key)) {
      this.removePersistent(key);
      if (save) this.saveIndex();
    }
  }

  /** Removes entries matching any prefix or tag (limited to `user` when given). Returns the count. */
  invalidate(query: InvalidateQuery): number {
    const prefixes = query.prefixes ?? [];
    const tags = query.tags ?? [];
    const matches = (path: string, entryTags: string[], user: string): boolean =>
      (query.user === undefined || user === query.user) &&
      (prefixes.some((prefix) => matchesPrefix(path, prefix)) ||
        entryTags.some((tag) => tags.includes(tag)) ||
        (prefixes.length === 0 && tags.length === 0));
    const doomed = new Set<string>();
    for (const { entry } of this.memory.values()) {
      if (matches(entry.path, entry.tags, entry.user)) doomed.add(entry.key);
    }
    if (this.persist) {
      for (const row of this.loadIndex().values())
        if (matches(row.p, row.t, row.u)) doomed.add(row.k);
    }
    for (const key of doomed) this.remove(key, false);
    if (doomed.size > 0 && this.persist) this.saveIndex();
    return doomed.size;
  }

  /** Drops one user's partition (logout). */
  clearUser(user: string): number {
    return this.invalidate({ user });
  }

  clear(): number {
    return this.invalidate({});
  }

  stats(): {
    memoryBytes: number;
    persistentBytes: number;
    entries: number;
    evictions: number;
    dropped: number;
  } {
    return {
      memoryBytes: this.memoryBytes,
      persistentBytes: this.persist ? (this.loadIndex(), this.persistentBytes) : 0,
      entries: this.memory.size,
      evictions: this.evictions,
      dropped: this.dropped,
    };
  }
}
