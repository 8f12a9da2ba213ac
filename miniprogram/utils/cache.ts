/**
 * Response cache with two tiers: memory (every entry, served from there) and wx storage (the same
 * entries written through, so a restart finds them again). One LRU byte budget bounds both; it
 * respects wx's limits (an entry over 1 MB stays in memory only; wx's 10 MB are shared with the
 * rest of the app, so on a quota error our oldest entries make room).
 * Key = method + URL + sorted params + body hash + user, so users never see each other's data.
 * Entries outlive their TTL (stale) so SWR can serve them and an ETag can revalidate them.
 *
 * Stored: each entry as it is, under `rc:` + its key. There is no separate index to keep in step:
 * a new ResponseCache rebuilds itself from the stored entries (all read once, at construction),
 * and any value under the prefix that is not an entry stored under its own key (corrupt, foreign,
 * an older format) is dropped, never trusted.
 */
import { SafeStorage, storedSize } from './storage';

export interface CacheEntry {
  key: string;
  user: string;
  /** Path + sorted query (for prefix invalidation). */
  path: string;
  tags: string[];
  data: unknown;
  etag?: string;
  /** Fresh until; after that the entry is stale (served by SWR, revalidated by ETag). */
  expiresAt: number;
}

export interface ResponseCacheOptions {
  storage?: SafeStorage;
  /** Bytes (as wx counts them) the entries may take, in memory and in storage. Default 2 MB. */
  budgetBytes?: number;
}

/** What the key is made of (a RequestContext has all of it). */
export interface KeyParts {
  method: string;
  /** Path + sorted query. */
  path: string;
  body: unknown;
  user: string;
}

interface Slot {
  entry: CacheEntry;
  bytes: number;
}

const PREFIX = 'rc:';

/** 32-bit FNV-1a, hex. Enough to tell bodies apart inside a key that also holds the URL. */
export function hashString(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export function buildCacheKey({ method, path, body, user }: KeyParts): string {
  const bodyHash =
    body === undefined ? '-' : hashString(typeof body === 'string' ? body : JSON.stringify(body));
  return `${method} ${path} #${bodyHash} @${user}`;
}

export function matchesPrefix(path: string, prefix: string): boolean {
  // The prefix must end at a segment boundary: the end, '/' or '?' ('/api/productsX' is not in).
  return (
    path.startsWith(prefix) && (prefix.endsWith('/') || '/?'.includes(path.charAt(prefix.length)))
  );
}

/** True for an entry as this version stores it; anything else is corrupt or foreign. */
function isEntry(value: unknown): value is CacheEntry {
  const entry = value as CacheEntry | null;
  return (
    !!entry &&
    typeof entry.key === 'string' &&
    typeof entry.user === 'string' &&
    typeof entry.path === 'string' &&
    Array.isArray(entry.tags) &&
    typeof entry.expiresAt === 'number' &&
    (entry.etag === undefined || typeof entry.etag === 'string')
  );
}

export class ResponseCache {
  /** Every entry, in LRU order (oldest first: a Map iterates in insertion order). */
  private readonly slots = new Map<string, Slot>();
  private bytes = 0;
  private readonly budget: number;
  private readonly storage: SafeStorage;

  constructor({
    storage = new SafeStorage(),
    budgetBytes = 2 * 1024 * 1024,
  }: ResponseCacheOptions = {}) {
    this.storage = storage;
    this.budget = budgetBytes;
    // Rebuilt from storage, so a restart finds the entries again.
    for (const name of storage.keys(PREFIX)) {
      const entry = storage.read(name);
      if (isEntry(entry) && PREFIX + entry.key === name) {
        this.add(entry, storedSize(name, entry) || 0);
      } else {
        storage.remove(name);
      }
    }
  }

  get(key: string): CacheEntry | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    // Most recently used now: move it to the newest end.
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.entry;
  }

  /** Stores an entry (replacing one under its key); returns false when it is over the budget. */
  set(entry: CacheEntry): boolean {
    const name = PREFIX + entry.key;
    const bytes = storedSize(name, entry);
    this.remove(entry.key);
    if (bytes === undefined || bytes > this.budget) return false;
    let failure;
    // The app's other data may have filled wx's 10 MB: free our oldest entries until it fits.
    do failure = this.storage.write(name, entry);
    while (failure && failure.reason === 'quota' && this.evictOldest());
    this.add(entry, bytes); // in memory even when storage refused it (e.g. over 1 MB)
    return true;
  }

  /** Adds an entry as the newest, evicting the least recently used ones beyond the budget. */
  private add(entry: CacheEntry, bytes: number): void {
    this.slots.set(entry.key, { entry, bytes });
    this.bytes += bytes;
    while (this.bytes > this.budget && this.evictOldest());
  }

  private evictOldest(): boolean {
    const [oldest] = this.slots.keys();
    if (oldest === undefined) return false;
    this.remove(oldest);
    return true;
  }

  remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot) {
      this.slots.delete(key);
      this.bytes -= slot.bytes;
      this.storage.remove(PREFIX + key); // (a no-op for an entry that was never stored)
    }
  }

  /** Removes every entry `matches` accepts; returns how many. */
  private removeWhere(matches: (entry: CacheEntry) => boolean): number {
    let count = 0;
    for (const { entry } of this.slots.values()) {
      if (matches(entry)) {
        this.remove(entry.key);
        count++;
      }
    }
    return count;
  }

  /**
   * Removes entries (of every user) under any of `prefixes` or with any of `tags`; returns the count.
   * `/api/products` covers `/api/products`, `/api/products?x` and `/api/products/1`.
   */
  invalidate(prefixes: string[], tags: string[] = []): number {
    return this.removeWhere(
      (entry) =>
        prefixes.some((prefix) => matchesPrefix(entry.path, prefix)) ||
        entry.tags.some((tag) => tags.includes(tag)),
    );
  }

  /** Drops one user's partition (logout). */
  clearUser(user: string): number {
    return this.removeWhere((entry) => entry.user === user);
  }

  stats(): { bytes: number; entries: number } {
    return {
      entries: this.slots.size,
      bytes: this.bytes,
    };
  }
}
