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

/**
 * Key-value storage persisted as one JSON file under dataDir, rewritten atomically on every
 * change so a restart with the same dataDir sees it and a crash never leaves half a file.
 */
export class WxStorage {
  private readonly items = new Map<string, StoredItem>();
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'storage.json');
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, StoredItem>;
      for (const [k, v] of Object.entries(parsed)) this.items.set(k, v);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        // A corrupt file is kept aside, not silently overwritten.
        fs.renameSync(this.file, `${this.file}.corrupt-${Date.now()}`);
      }
    }
  }

  private persist(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.items)));
    fs.renameSync(tmp, this.file);
  }

  private totalBytes(): number {
    let total = 0;
    for (const [k, v] of this.items) total += itemBytes(k, v);
    return total;
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
    this.persist();
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
    if (this.items.delete(key)) this.persist();
  }

  clear(): void {
    this.items.clear();
    this.persist();
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
  };
}
