/**
 * A wx storage wrapper that never throws: reads of missing or unreadable keys return undefined,
 * writes report why they failed (over 1 MB for the key, or the 10 MB quota) so callers can evict
 * and try again. Sizes are counted like wx: UTF-8 bytes of key + JSON value.
 */
import { defaultWx, type StorageSyncWx } from './http-ports';

export const STORAGE_KEY_LIMIT_BYTES = 1024 * 1024;
export const STORAGE_TOTAL_LIMIT_BYTES = 10 * 1024 * 1024;

export type WriteResult =
  | { ok: true; bytes: number }
  | { ok: false; reason: 'too-large' | 'quota' | 'error'; message: string };

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Bytes wx charges for `value` under `key`; undefined when it cannot be serialised. */
export function storedSize(key: string, value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : utf8Length(key) + utf8Length(text);
  } catch {
    return undefined;
  }
}

export class SafeStorage {
  constructor(private readonly wx?: StorageSyncWx) {}

  private get api(): StorageSyncWx {
    return this.wx || defaultWx<StorageSyncWx>();
  }

  /** The stored value, or undefined if missing ('' in wx) or unreadable. */
  read(key: string): unknown {
    try {
      const value = this.api.getStorageSync(key);
      return value === '' ? undefined : value;
    } catch {
      return undefined;
    }
  }

  write(key: string, value: unknown): WriteResult {
    const bytes = storedSize(key, value);
    if (bytes === undefined)
      return { ok: false, reason: 'error', message: 'value is not serialisable' };
    if (bytes > STORAGE_KEY_LIMIT_BYTES) {
      return { ok: false, reason: 'too-large', message: `${bytes} bytes exceed the 1 MB per key` };
    }
    try {
      this.api.setStorageSync(key, value);
      return { ok: true, bytes };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reason = /exceed|max size|quota|limit/i.test(message) ? 'quota' : 'error';
      return { ok: false, reason, message };
    }
  }

  remove(key: string): void {
    try {
      this.api.removeStorageSync(key);
    } catch {
      // Nothing to do: a key we cannot remove is also one we will not read as valid.
    }
  }

  keys(prefix = ''): string[] {
    try {
      return this.api.getStorageInfoSync().keys.filter((key) => key.startsWith(prefix));
    } catch {
      return [];
    }
  }

  /** Used and limit in bytes (wx reports KB). */
  usage(): { bytes: number; limit: number } {
    try {
      const info = this.api.getStorageInfoSync();
      return { bytes: info.currentSize * 1024, limit: info.limitSize * 1024 };
    } catch {
      return { bytes: 0, limit: STORAGE_TOTAL_LIMIT_BYTES };
    }
  }
}
