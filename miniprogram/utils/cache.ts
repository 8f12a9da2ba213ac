/**
 * Response cache: memory tier + persistent tier (wx storage), both LRU within byte budgets that
 * respect wx limits (1 MB per key, 10 MB per mini program, shared with the rest of the app).
 * Key = method + URL + sorted params + body hash + user, so users never see each other's data.
 * Entries outlive their TTL (marked stale) so an ETag can revalidate them with a 304.
 * The persistent tier keeps an index under `<prefix>index`; unreadable, foreign or orphaned
 * entries are dropped, never trusted.
 */
import { withDefaults } from './options';
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

function isEntry(value: unknown, key: string): value is CacheEntry {
  const e = value as CacheEntry | null;
  return (
    !!e &&
    e.v === 1 &&
    e.key === key &&
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
      (row: IndexRow | null) =>
        !!row &&
        typeof row.s === 'string' &&
        typeof row.k === 'string' &&
        typeof row.p === 'string' &&
        typeof row.u === 'string' &&
        Array.isArray(row.t) &&
        typeof row.b === 'number',
    )
  );
}

/** Moves `key` to the newest end of a Map kept in LRU order (Map order = insertion order). */
function touch<V>(map: Map<string, V>, key: string): V | undefined {
  const value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}

const DEFAULTS = {
  persist: true,
  memoryBudgetBytes: 2 * MB,
  // Half of wx's 10 MB, leaving room for the rest of the app.
  persistentBudgetBytes: 5 * MB,
  maxEntryBytes: MB - 1024,
  prefix: 'rc:',
};

export class ResponseCache {
  /** Both tiers are Maps in LRU order (oldest first). */
  private readonly memory = new Map<string, { entry: CacheEntry; bytes: number }>();
  private memoryBytes = 0;
  private index?: Map<string, IndexRow>;
  private persistentBytes = 0;
  private readonly config: typeof DEFAULTS & ResponseCacheOptions;
  private readonly storage: SafeStorage;
  private readonly indexKey: string;
  /** Entries dropped because they were corrupt or foreign (for the monitor and tests). */
  dropped = 0;
  evictions = 0;

  constructor(options: ResponseCacheOptions = {}) {
    this.config = withDefaults(DEFAULTS, options);
    this.storage = options.storage ?? new SafeStorage();
    this.indexKey = `${this.config.prefix}index`;
  }

  /** Loads the persistent index once; anything it does not vouch for is removed. */
  private loadIndex(): Map<string, IndexRow> {
    if (this.index) return this.index;
    const stored = this.storage.read(this.indexKey);
    const rows = isIndex(stored) ? stored : [];
    if (rows !== stored && stored !== undefined) this.dropped++;
    this.index = new Map(rows.map((row) => [row.k, row]));
    this.persistentBytes = rows.reduce((sum, row) => sum + row.b, 0);
    const known = new Set(rows.map((row) => row.s));
    for (const key of this.storage.keys(this.config.prefix)) {
      if (key !== this.indexKey && !known.has(key)) {
        this.storage.remove(key);
        this.dropped++;
      }
    }
    return this.index;
  }

  private saveIndex(): void {
    const index = this.loadIndex();
    if (!this.storage.write(this.indexKey, [...index.values()]).ok) {
      // Without a trustworthy index the persistent tier is unusable: start over.
      for (const row of index.values()) this.storage.remove(row.s);
      index.clear();
      this.persistentBytes = 0;
      this.storage.remove(this.indexKey);
    }
  }

  get(key: string): CacheEntry | undefined {
    const persist = this.config.persist;
    const row = persist ? touch(this.loadIndex(), key) : undefined;
    const hit = touch(this.memory, key);
    if (hit || !row) return hit && hit.entry;
    const value = this.storage.read(row.s);
    if (!isEntry(value, key)) {
      this.dropped++;
      this.removePersistent(key);
      this.saveIndex();
      return undefined;
    }
    this.putMemory(value, row.b);
    return value;
  }

  /** Stores an entry; returns false when it is too large for any tier. */
  set(entry: CacheEntry): boolean {
    const { persist, memoryBudgetBytes, maxEntryBytes } = this.config;
    const bytes = storedSize(this.storageKeyFor(entry.key), entry);
    if (bytes === undefined) return false;
    this.remove(entry.key, false);
    const inMemory = bytes <= memoryBudgetBytes;
    if (inMemory) this.putMemory(entry, bytes);
    const persisted =
      persist && bytes <= Math.min(maxEntryBytes, MB) && this.putPersistent(entry, bytes);
    return inMemory || persisted;
  }

  private putMemory(entry: CacheEntry, bytes: number): void {
    for (const [key, oldest] of this.memory) {
      if (this.memoryBytes + bytes <= this.config.memoryBudgetBytes) break;
      this.memory.delete(key);
      this.memoryBytes -= oldest.bytes;
      this.evictions++;
    }
    this.memory.set(entry.key, { entry, bytes });
    this.memoryBytes += bytes;
  }

  private storageKeyFor(key: string): string {
    return `${this.config.prefix}${hashString(key)}${hashString(`${key}\u0000`)}`;
  }

  private putPersistent(entry: CacheEntry, bytes: number): boolean {
    const row: IndexRow = {
      s: this.storageKeyFor(entry.key),
      k: entry.key,
      p: entry.path,
      u: entry.user,
      t: entry.tags,
      b: bytes,
    };
    while (
      this.persistentBytes + bytes > this.config.persistentBudgetBytes &&
      this.evictOldestPersistent()
    );
    for (let attempt = 0; attempt < 4; attempt++) {
      const result = this.storage.write(row.s, entry);
      if (result.ok) {
        this.loadIndex().set(entry.key, row);
        this.persistentBytes += bytes;
        break;
      }
      // The app's other data may have filled wx's 10 MB: free our oldest entries and try again.
      if (result.reason !== 'quota' || !this.evictOldestPersistent()) break;
    }
    this.saveIndex();
    return this.loadIndex().has(entry.key);
  }

  private evictOldestPersistent(): boolean {
    const oldest = this.loadIndex().keys().next();
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
    if (this.config.persist && this.loadIndex().has(key)) {
      this.removePersistent(key);
      if (save) this.saveIndex();
    }
  }

  /** Removes entries matching any prefix or tag (limited to `user` when given). Returns the count. */
  invalidate({ prefixes = [], tags = [], user }: InvalidateQuery): number {
    const matches = (path: string, entryTags: string[], owner: string): boolean =>
      (user === undefined || owner === user) &&
      ((prefixes.length === 0 && tags.length === 0) ||
        prefixes.some((prefix) => matchesPrefix(path, prefix)) ||
        entryTags.some((tag) => tags.includes(tag)));
    const doomed = new Set<string>();
    for (const { entry } of this.memory.values()) {
      if (matches(entry.path, entry.tags, entry.user)) doomed.add(entry.key);
    }
    const persist = this.config.persist;
    if (persist) {
      for (const row of this.loadIndex().values())
        if (matches(row.p, row.t, row.u)) doomed.add(row.k);
    }
    for (const key of doomed) this.remove(key, false);
    if (doomed.size > 0 && persist) this.saveIndex();
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
      persistentBytes: this.config.persist ? (this.loadIndex(), this.persistentBytes) : 0,
      entries: this.memory.size,
      evictions: this.evictions,
      dropped: this.dropped,
    };
  }
}
