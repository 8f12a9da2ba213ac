/**
 * Response cache: memory tier + persistent tier (wx storage), both LRU within byte budgets that
 * respect wx limits (1 MB per key, 10 MB per mini program, shared with the rest of the app).
 * Key = method + URL + sorted params + body hash + user, so users never see each other's data.
 * Entries outlive their TTL (stale) so SWR can serve them and an ETag can revalidate them.
 *
 * Persisted: each entry as it is, under `rc:` + the hash of its key. There is no separate index
 * to keep in step: on first use the tier is rebuilt from the stored entries themselves, and any
 * value under the prefix that is not an entry stored under its own key's name (corrupt, foreign,
 * or an older format) is dropped, never trusted. Entries read at start-up warm the memory tier.
 */
import { withDefaults } from './options';
import { SafeStorage, STORAGE_KEY_LIMIT_BYTES, storedSize } from './storage';

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
  /** false keeps everything in memory. Default true. */
  persist?: boolean;
  /** Default 2 MB. */
  memoryBudgetBytes?: number;
  /** Default 5 MB: half of wx's 10 MB, leaving room for the rest of the app. */
  persistentBudgetBytes?: number;
}

export interface InvalidateQuery {
  /** Matches `/api/products` for `/api/products`, `/api/products?x` and `/api/products/1`. */
  prefixes?: string[];
  tags?: string[];
  user?: string;
}

type Tier = 'memory' | 'persistent';

interface Slot {
  /** Without its data (undefined) while the entry is not in the memory tier. */
  entry: CacheEntry;
  bytes: number;
  memory: boolean;
  persistent: boolean;
}

const MB = 1024 * 1024;
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

/**
 * Where an entry is stored. Two keys whose hashes collide overwrite each other; the stored
 * entry names its key in full, so the other one then reads as missing, never as wrong data.
 */
function storageKey(key: string): string {
  return PREFIX + hashString(key);
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

const DEFAULTS = {
  persist: true,
  memoryBudgetBytes: 2 * MB,
  // Half of wx's 10 MB, leaving room for the rest of the app.
  persistentBudgetBytes: 5 * MB,
};

export class ResponseCache {
  /** Every entry of either tier, in LRU order (oldest first: a Map iterates in insertion order). */
  private known?: Map<string, Slot>;
  private readonly used = { memory: 0, persistent: 0 };
  private readonly budget: Record<Tier, number>;
  private readonly persist: boolean;
  private readonly storage: SafeStorage;
  /** Stored values dropped because they were corrupt or foreign. */
  private dropped = 0;
  private evictions = 0;

  constructor(options: ResponseCacheOptions = {}) {
    const config = withDefaults(DEFAULTS, options);
    this.persist = config.persist;
    this.budget = { memory: config.memoryBudgetBytes, persistent: config.persistentBudgetBytes };
    this.storage = options.storage || new SafeStorage();
  }

  /** The slots; on first use the persistent tier is rebuilt from storage. */
  private slots(): Map<string, Slot> {
    if (this.known) return this.known;
    const slots = (this.known = new Map<string, Slot>());
    for (const name of this.persist ? this.storage.keys(PREFIX) : []) {
      const entry = this.storage.read(name);
      if (isEntry(entry) && storageKey(entry.key) === name) {
        // Read back, it is no larger than when it was written: it fits.
        const slot: Slot = {
          entry,
          bytes: storedSize(name, entry) || 0,
          memory: false,
          persistent: true,
        };
        slots.set(entry.key, slot);
        this.used.persistent += slot.bytes;
        this.hold(slot, entry);
      } else {
        this.storage.remove(name);
        this.dropped++;
      }
    }
    return slots;
  }

  get(key: string): CacheEntry | undefined {
    const slots = this.slots();
    const slot = slots.get(key);
    if (!slot) return undefined;
    // Most recently used now: move it to the newest end.
    slots.delete(key);
    slots.set(key, slot);
    if (slot.memory) return slot.entry;
    const stored = this.storage.read(storageKey(key));
    if (!isEntry(stored) || stored.key !== key) {
      this.dropped++;
      this.remove(key);
      return undefined;
    }
    this.hold(slot, stored);
    return stored;
  }

  /** Stores an entry (replacing one under its key); returns false when no tier can hold it. */
  set(entry: CacheEntry): boolean {
    const bytes = storedSize(storageKey(entry.key), entry);
    if (bytes === undefined) return false;
    this.remove(entry.key);
    const slot: Slot = { entry, bytes, memory: false, persistent: false };
    if (this.persist && bytes <= STORAGE_KEY_LIMIT_BYTES) this.enter(slot, 'persistent');
    this.hold(slot, entry);
    if (slot.memory || slot.persistent) this.slots().set(entry.key, slot);
    return slot.memory || slot.persistent;
  }

  /** Keeps `entry` (the slot's, data included) in memory if it fits; otherwise only its data is let go. */
  private hold(slot: Slot, entry: CacheEntry): void {
    slot.entry = entry;
    if (!this.enter(slot, 'memory')) slot.entry = { ...entry, data: undefined };
  }

  /** Puts a slot into a tier, evicting that tier's least recently used entries to fit its budget. */
  private enter(slot: Slot, tier: Tier): boolean {
    const { bytes, entry } = slot;
    if (bytes > this.budget[tier]) return false;
    while (this.used[tier] + bytes > this.budget[tier] && this.evictOldest(tier));
    while (tier === 'persistent') {
      const result = this.storage.write(storageKey(entry.key), entry);
      if (result.ok) break;
      // The app's other data may have filled wx's 10 MB: free our oldest entries until it fits.
      if (result.reason !== 'quota' || !this.evictOldest(tier)) return false;
    }
    slot[tier] = true;
    this.used[tier] += bytes;
    return true;
  }

  /** Takes a slot out of a tier; a slot left in no tier is forgotten. */
  private leave(slot: Slot, tier: Tier): void {
    const { bytes, entry } = slot;
    if (!slot[tier]) return;
    slot[tier] = false;
    this.used[tier] -= bytes;
    if (tier === 'persistent') this.storage.remove(storageKey(entry.key));
    else slot.entry = { ...entry, data: undefined };
    if (!slot.memory && !slot.persistent) this.slots().delete(entry.key);
  }

  private evictOldest(tier: Tier): boolean {
    for (const slot of this.slots().values()) {
      if (slot[tier]) {
        this.leave(slot, tier);
        this.evictions++;
        return true;
      }
    }
    return false;
  }

  remove(key: string): void {
    const slot = this.slots().get(key);
    if (slot) {
      this.leave(slot, 'memory');
      this.leave(slot, 'persistent');
    }
  }

  /** Removes entries matching any prefix or tag (limited to `user` when given). Returns the count. */
  invalidate({ prefixes = [], tags = [], user }: InvalidateQuery): number {
    const everything = prefixes.length === 0 && tags.length === 0;
    let count = 0;
    for (const { entry } of this.slots().values()) {
      if (
        (user === undefined || entry.user === user) &&
        (everything ||
          prefixes.some((prefix) => matchesPrefix(entry.path, prefix)) ||
          entry.tags.some((tag) => tags.includes(tag)))
      ) {
        this.remove(entry.key);
        count++;
      }
    }
    return count;
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
      entries: this.slots().size,
      memoryBytes: this.used.memory,
      persistentBytes: this.used.persistent,
      evictions: this.evictions,
      dropped: this.dropped,
    };
  }
}
