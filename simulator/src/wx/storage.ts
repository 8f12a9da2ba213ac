import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asyncApi, syncApi, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import { paramError } from './context';

/** WeChat: one key's value at most 1 MB, all storage at most 10 MB. */
export const MAX_ITEM_BYTES = 1024 * 1024;
export const MAX_TOTAL_BYTES = 10 * 1024 * 1024;

/** A stored value with its type, as WeChat keeps it, so a Date comes back as a Date. */
interface StoredItem {
  type: 'String' | 'Number' | 'Boolean' | 'Null' | 'Undefined' | 'Object' | 'Array' | 'Date';
  data: string;
}

function encode(value: unknown): StoredItem {
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    return { type: 'Date', data: String((value as Date).getTime()) };
  }
  switch (typeof value) {
    case 'string':
      return { type: 'String', data: value };
    case 'number':
      return { type: 'Number', data: String(value) };
    case 'boolean':
      return { type: 'Boolean', data: String(value) };
    case 'undefined':
      return { type: 'Undefined', data: '' };
    case 'object':
      if (value === null) return { type: 'Null', data: '' };
      return { type: Array.isArray(value) ? 'Array' : 'Object', data: JSON.stringify(value) };
    default:
      // Functions, symbols and bigints cannot be stored on a phone either.
      throw new WxFailure(`parameter error: parameter.data should be a JSON-able value`);
  }
}

function decode(item: StoredItem): unknown {
  switch (item.type) {
    case 'String':
      return item.data;
    case 'Number':
      return Number(item.data);
    case 'Boolean':
      return item.data === 'true';
    case 'Undefined':
      return undefined;
    case 'Null':
      return null;
    case 'Date':
      return new Date(Number(item.data));
    default:
      return JSON.parse(item.data);
  }
}

function itemBytes(key: string, item: StoredItem): number {
  return Buffer.byteLength(key) + Buffer.byteLength(item.data);
}

/** Unwritten changes per storage dir, so a restart in the same process flushes them first. */
const pendingFlushes = new Map<string, () => void>();

/**
 * Key-value storage persisted under dataDir/storage, one file per key (named by the key's hash),
 * each written atomically (temp file + rename). Changes made in one synchronous run are written
 * together right after it (a hot loop of sets costs one write per key), and a new WxStorage on the
 * same dir, dispose() and process exit flush first, so a restart sees every change.
 */
export class WxStorage {
  private readonly items = new Map<string, StoredItem>();
  private readonly dir: string;
  private readonly dirty = new Set<string>();
  private totalSize = 0;

  constructor(
    dataDir: string,
    private readonly onWriteError: (error: unknown) => void = () => undefined,
  ) {
    this.dir = path.join(dataDir, 'storage');
    pendingFlushes.get(this.dir)?.();
    fs.mkdirSync(this.dir, { recursive: true });
    for (const name of fs.readdirSync(this.dir).sort()) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(this.dir, name);
      try {
        const { key, type, data } = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredItem & {
          key: string;
        };
        if (typeof key !== 'string' || typeof data !== 'string') throw new Error('bad entry');
        this.items.set(key, { type, data });
        this.totalSize += itemBytes(key, { type, data });
      } catch {
        // A corrupt entry is kept aside for inspection, never silently overwritten or fatal.
        fs.renameSync(file, `${file}.corrupt-${Date.now()}`);
      }
    }
  }

  private fileOf(key: string): string {
    return path.join(this.dir, crypto.createHash('sha1').update(key).digest('hex') + '.json');
  }

  private markDirty(key: string): void {
    if (this.dirty.size === 0) {
      pendingFlushes.set(this.dir, this.flush);
      // Only while writes are pending, so listeners never pile up.
      process.once('exit', this.flush);
      // A promise job, not a timer: fake timers in tests cannot hold writes back.
      void Promise.resolve().then(this.flush);
    }
    this.dirty.add(key);
  }

  /** Writes every changed key now. */
  readonly flush = (): void => {
    if (pendingFlushes.get(this.dir) === this.flush) pendingFlushes.delete(this.dir);
    process.removeListener('exit', this.flush);
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      const file = this.fileOf(key);
      const item = this.items.get(key);
      try {
        if (!item) {
          fs.rmSync(file, { force: true });
          continue;
        }
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ key, ...item }));
        fs.renameSync(tmp, file);
      } catch (error) {
        this.onWriteError(error);
      }
    }
  };

  private totalBytes(): number {
    return this.totalSize;
  }

  set(key: unknown, value: unknown): void {
    if (typeof key !== 'string') throw new WxFailure(paramError('key', 'String', key));
    if (key === '') throw new WxFailure('parameter error: parameter.key should not be empty;');
    const item = encode(value);
    const bytes = itemBytes(key, item);
    if (bytes > MAX_ITEM_BYTES) throw new WxFailure('exceed storage item max length');
    const previous = this.items.get(key);
    const total = this.totalBytes() - (previous ? itemBytes(key, previous) : 0) + bytes;
    if (total > MAX_TOTAL_BYTES) throw new WxFailure('exceed storage max size 10MB');
    this.items.set(key, item);
    this.totalSize = total;
    this.markDirty(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  get(key: unknown): unknown {
    if (typeof key !== 'string') throw new WxFailure(paramError('key', 'String', key));
    const item = this.items.get(key);
    return item === undefined ? undefined : decode(item);
  }

  remove(key: unknown): void {
    if (typeof key !== 'string') throw new WxFailure(paramError('key', 'String', key));
    const previous = this.items.get(key);
    if (!previous) return;
    this.items.delete(key);
    this.totalSize -= itemBytes(key, previous);
    this.markDirty(key);
  }

  clear(): void {
    for (const key of this.items.keys()) this.markDirty(key);
    this.items.clear();
    this.totalSize = 0;
  }

  info(): { keys: string[]; currentSize: number; limitSize: number } {
    return {
      keys: [...this.items.keys()],
      currentSize: Math.ceil(this.totalBytes() / 1024),
      limitSize: MAX_TOTAL_BYTES / 1024,
    };
  }

  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.items) out[k] = decode(v);
    return out;
  }
}

export function createStorageApis(ctx: WxContext, storage: WxStorage): ApiTable {
  const on = ctx.onCallbackError;
  const ErrorCtor = ctx.host.realm?.Error;
  return {
    setStorageSync: syncApi('setStorageSync', (key, data) => storage.set(key, data), ErrorCtor),
    // A missing key gives '' synchronously (no throw); only the async form fails.
    getStorageSync: syncApi(
      'getStorageSync',
      (key) => (typeof key === 'string' && !storage.has(key) ? '' : storage.get(key)),
      ErrorCtor,
    ),
    removeStorageSync: syncApi('removeStorageSync', (key) => storage.remove(key), ErrorCtor),
    clearStorageSync: syncApi('clearStorageSync', () => storage.clear(), ErrorCtor),
    getStorageInfoSync: syncApi('getStorageInfoSync', () => storage.info(), ErrorCtor),
    setStorage: asyncApi('setStorage', (o) => (storage.set(o.key, o.data), {}), on),
    getStorage: asyncApi(
      'getStorage',
      (o) => {
        if (typeof o.key === 'string' && !storage.has(o.key)) {
          throw new WxFailure('data not found');
        }
        return { data: storage.get(o.key) };
      },
      on,
    ),
    removeStorage: asyncApi('removeStorage', (o) => (storage.remove(o.key), {}), on),
    clearStorage: asyncApi('clearStorage', () => (storage.clear(), {}), on),
    getStorageInfo: asyncApi('getStorageInfo', () => storage.info(), on),
    batchSetStorageSync: syncApi(
      'batchSetStorageSync',
      (kvList) => batchSet(storage, kvList),
      ErrorCtor,
    ),
    batchGetStorageSync: syncApi(
      'batchGetStorageSync',
      (keyList) => batchGet(storage, keyList),
      ErrorCtor,
    ),
    batchSetStorage: asyncApi('batchSetStorage', (o) => (batchSet(storage, o.kvList), {}), on),
    batchGetStorage: asyncApi(
      'batchGetStorage',
      (o) => ({ dataList: batchGet(storage, o.keyList) }),
      on,
    ),
  };
}

/** All pairs are checked before any is written, so a bad pair stores nothing. */
function batchSet(storage: WxStorage, kvList: unknown): void {
  if (!Array.isArray(kvList)) throw new WxFailure(paramError('kvList', 'Array', kvList));
  const pairs = kvList.map((kv: unknown) => {
    const { key, value } = (kv ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== 'string') throw new WxFailure(paramError('key', 'String', key));
    return { key, value };
  });
  for (const { key, value } of pairs) storage.set(key, value);
}

/** Missing keys read as '' like getStorageSync. */
function batchGet(storage: WxStorage, keyList: unknown): unknown[] {
  if (!Array.isArray(keyList)) throw new WxFailure(paramError('keyList', 'Array', keyList));
  return keyList.map((key: unknown) =>
    typeof key === 'string' && storage.has(key) ? storage.get(key) : '',
  );
}
