/**
 * The slices of `wx` the request stack uses (request, login, storage, UI feedback). Each module
 * takes its slice by injection and defaults to the global `wx`, so tests and benchmarks pass a
 * fake and the modules type-check with or without miniprogram-api-typings.
 */

export interface WxFailResult {
  errMsg: string;
  errno?: number;
}

export interface WxRequestSuccess {
  data: unknown;
  statusCode: number;
  header: Record<string, string>;
}

export interface WxRequestOption {
  url: string;
  /** wx.request has no PATCH (transport.ts tunnels it through POST). */
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  data?: string | Record<string, unknown> | ArrayBuffer;
  header?: Record<string, string>;
  timeout?: number;
  success?(result: WxRequestSuccess): void;
  fail?(error: WxFailResult): void;
}

export interface WxRequestTask {
  abort(): void;
}

export interface RequestWx {
  request(option: WxRequestOption): WxRequestTask;
}

export interface LoginWx {
  login(option: {
    success?(result: { code: string }): void;
    fail?(error: WxFailResult): void;
  }): void;
  checkSession(option: { success?(result: unknown): void; fail?(error: WxFailResult): void }): void;
}

export interface StorageSyncWx {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;
  getStorageInfoSync(): { keys: string[]; currentSize: number; limitSize: number };
}

export interface FeedbackWx {
  showToast(option: {
    title: string;
    icon?: 'success' | 'error' | 'loading' | 'none';
    duration?: number;
  }): void;
  showModal(option: {
    title?: string;
    content?: string;
    showCancel?: boolean;
    confirmText?: string;
    cancelText?: string;
    success?(result: { confirm: boolean; cancel: boolean }): void;
    fail?(error: WxFailResult): void;
  }): void;
  showLoading(option: { title: string; mask?: boolean }): void;
  hideLoading(option?: Record<string, never>): void;
  navigateTo(option: { url: string; fail?(error: WxFailResult): void }): void;
}

// Module-local declaration: the runtime's free variable `wx` (in WeChat it need not be a
// property of globalThis), without relying on the ambient miniprogram-api-typings declaration.
declare const wx: unknown;

/** The global `wx`, resolved when first used (tests and Node have none). */
export function defaultWx<T>(): T {
  if (typeof wx !== 'object' || !wx) throw new Error('wx is not available: inject one');
  return wx as T;
}
