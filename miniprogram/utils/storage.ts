/**
 * A wx storage wrapper that never throws: reads of missing or unreadable keys return undefined,
 * writes report why they failed (over 1 MB for the key, or the 10 MB quota) so callers can evict
 * and try again. Sizes are counted like wx: UTF-8 bytes of key + JSON value.
 */
import { defaultWx, type StorageSyncWx } from './http-ports';

export const STORAGE_KEY_LIMIT_BYTES = 1024 * 1024;

/** Why a write failed; `message`: what wx said, when wx itself refused it. */
export interface WriteFailure {
  reason: 'too-large' | 'quota' | 'error';
  message?: string;
}

/** Bytes wx charges for `value` under `key` (UTF-8 of key + JSON); undefined if not serialisable. */
export function storedSize(key: string, value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    // encodeURIComponent writes every UTF-8 byte of a non-ASCII character as one %XX.
    return text === undefined
      ? undefined
      : encodeURIComponent(key + text).replace(/%../g, '%').length;
  } catch {
    return undefined;
  }
}

export class SafeStorage {
  constructor(private readonly wx?: StorageSyncWx) {}

  /** Runs one wx storage call; undefined when it throws (storage must never crash the app). */
  private call<T>(use: (api: StorageSyncWx) => T): T | undefined {
    try {
      return use(this.wx || defaultWx<StorageSyncWx>());
    } catch {
      return undefined;
    }
  }

  /** The stored value, or undefined if missing ('' in wx) or unreadable. */
  read(key: string): unknown {
    const value = this.call((api) => api.getStorageSync(key));
    return value === '' ? undefined : value;
  }

  /** Stores `value`; returns undefined on success, else why it failed. */
  write(key: string, value: unknown): WriteFailure | undefined {
    const bytes = storedSize(key, value);
    // Refused before wx sees it: not serialisable, or over wx's 1 MB per key.
    if (bytes === undefined) return { reason: 'error' };
    if (bytes > STORAGE_KEY_LIMIT_BYTES) return { reason: 'too-large' };
    try {
      (this.wx || defaultWx<StorageSyncWx>()).setStorageSync(key, value);
      return undefined;
    } catch (error) {
      const message = String((error && (error as Error).message) || error);
      const reason = /exceed|max size|quota|limit/i.test(message) ? 'quota' : 'error';
      return { reason, message };
    }
  }

  remove(key: string): void {
    this.call((api) => api.removeStorageSync(key));
  }

  keys(prefix = ''): string[] {
    return (
      this.call((api) => api.getStorageInfoSync().keys.filter((key) => key.startsWith(prefix))) ||
      []
    );
  }
}
