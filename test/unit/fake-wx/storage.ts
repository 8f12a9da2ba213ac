/**
 * Fake wx storage with the real limits: 1 MB per key and 10 MB per mini program, counted as the
 * UTF-8 bytes of key + JSON value. Values are stored as JSON, so reads return copies like wx.
 * The sync APIs throw `Error(errMsg)`; the async ones call `fail({ errMsg })`.
 */
import { settle, utf8Bytes as utf8, type WxFail } from './types';

export const KEY_LIMIT_BYTES = 1024 * 1024;
export const TOTAL_LIMIT_BYTES = 10 * 1024 * 1024;

/** The text wx uses when the mini program's 10 MB are full. */
export const totalLimitErrMsg = (api: string): string => `${api}:fail exceed storage max size 10MB`;
/** The text used when one key's value exceeds 1 MB. */
export const keyLimitErrMsg = (api: string): string =>
  `${api}:fail exceed storage item max length 1MB`;

export interface StorageControl {
  /** Raw JSON text per key (what is on "disk"). */
  readonly raw: Map<string, string>;
  /** Bytes used, as wx counts them. */
  bytes(): number;
  /** Puts text that is not valid JSON (or any shape) under a key, to test corrupt entries. */
  corrupt(key: string, text: string): void;
  /** Makes the next N writes fail with the 10 MB errMsg regardless of size. */
  failNextWrites(count: number): void;
  clear(): void;
}

type StorageApis = Pick<
  WechatMiniprogram.Wx,
  | 'setStorageSync'
  | 'getStorageSync'
  | 'removeStorageSync'
  | 'clearStorageSync'
  | 'getStorageInfoSync'
  | 'setStorage'
  | 'getStorage'
  | 'removeStorage'
  | 'clearStorage'
  | 'getStorageInfo'
>;

export function createStorageFamily(): { apis: StorageApis; control: StorageControl } {
  const raw = new Map<string, string>();
  let forcedFailures = 0;

  const bytes = (): number => {
    let total = 0;
    for (const [key, text] of raw) total += utf8(key) + utf8(text);
    return total;
  };

  function write(api: string, key: string, data: unknown): WxFail | undefined {
    if (typeof key !== 'string' || key === '')
      return { errMsg: `${api}:fail parameter error: key should be a non-empty string` };
    const text = JSON.stringify(data === undefined ? null : data);
    const size = utf8(key) + utf8(text);
    if (forcedFailures > 0) {
      forcedFailures--;
      return { errMsg: totalLimitErrMsg(api) };
    }
    if (size > KEY_LIMIT_BYTES) return { errMsg: keyLimitErrMsg(api) };
    const previous = raw.get(key);
    const freed = previous === undefined ? 0 : utf8(key) + utf8(previous);
    if (bytes() - freed + size > TOTAL_LIMIT_BYTES) return { errMsg: totalLimitErrMsg(api) };
    raw.set(key, text);
    return undefined;
  }

  /** wx returns '' for a missing key; a stored value that is not JSON comes back as its text. */
  function read(key: string): unknown {
    const text = raw.get(key);
    if (text === undefined) return '';
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  const info = () => ({
    keys: [...raw.keys()],
    currentSize: Math.ceil(bytes() / 1024),
    limitSize: TOTAL_LIMIT_BYTES / 1024,
  });

  const apis = {
    setStorageSync(key: string, data: unknown): void {
      const error = write('setStorageSync', key, data);
      if (error) throw new Error(error.errMsg);
    },
    getStorageSync(key: string): unknown {
      return read(key);
    },
    removeStorageSync(key: string): void {
      raw.delete(key);
    },
    clearStorageSync(): void {
      raw.clear();
    },
    getStorageInfoSync() {
      return info();
    },
    setStorage(option: { key: string; data: unknown }) {
      const error = write('setStorage', option.key, option.data);
      return settle(
        option,
        error ? { ok: false, error } : { ok: true, value: { errMsg: 'setStorage:ok' } },
      );
    },
    getStorage(option: { key: string }) {
      const error = raw.has(option.key) ? undefined : { errMsg: 'getStorage:fail data not found' };
      return settle(
        option,
        error
          ? { ok: false, error }
          : { ok: true, value: { data: read(option.key), errMsg: 'getStorage:ok' } },
      );
    },
    removeStorage(option: { key: string }) {
      raw.delete(option.key);
      return settle(option, { ok: true, value: { errMsg: 'removeStorage:ok' } });
    },
    clearStorage(option?: object) {
      raw.clear();
      return settle(option, { ok: true, value: { errMsg: 'clearStorage:ok' } });
    },
    getStorageInfo(option?: object) {
      return settle(option, { ok: true, value: { ...info(), errMsg: 'getStorageInfo:ok' } });
    },
  };

  const control: StorageControl = {
    raw,
    bytes,
    corrupt(key, text) {
      raw.set(key, text);
    },
    failNextWrites(count) {
      forcedFailures = count;
    },
    clear() {
      raw.clear();
    },
  };
  return { apis: apis as unknown as StorageApis, control };
}
