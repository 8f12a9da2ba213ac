/**
 * The slices of `wx` the realtime half of the network layer uses (socket, uploads, album,
 * connectivity, outbox). Each module takes its slice by injection and defaults to the global
 * `wx`, so unit tests and benchmarks pass a fake without touching globals, and the modules
 * type-check in every tsconfig (with or without miniprogram-api-typings).
 */

/** What every wx callback API reports on failure. */
export interface WxFail {
  errMsg: string;
  errno?: number;
}

export interface WxCallbacks<S> {
  success?: (result: S) => void;
  fail?: (error: WxFail) => void;
}

// ---------------------------------------------------------------- sockets and app lifecycle

export interface SocketTaskLike {
  send(options: { data: string } & WxCallbacks<unknown>): void;
  close(options: { code?: number; reason?: string } & WxCallbacks<unknown>): void;
  onOpen(listener: (result: unknown) => void): void;
  onMessage(listener: (result: { data: string | ArrayBuffer }) => void): void;
  onClose(listener: (result: { code: number; reason: string }) => void): void;
  onError(listener: (result: WxFail) => void): void;
}

export interface ConnectSocketOptions extends WxCallbacks<unknown> {
  url: string;
  header?: Record<string, string>;
  timeout?: number;
}

export interface AppLifecycleWx {
  onAppShow(listener: () => void): void;
  offAppShow(listener: () => void): void;
  onAppHide(listener: () => void): void;
  offAppHide(listener: () => void): void;
}

export interface SocketWx extends AppLifecycleWx {
  connectSocket(options: ConnectSocketOptions): SocketTaskLike;
}

// ---------------------------------------------------------------- network status

export interface NetworkStatus {
  isConnected: boolean;
  networkType: string;
}

export interface NetworkWx {
  getNetworkType(options: WxCallbacks<{ networkType: string }>): void;
  onNetworkStatusChange(listener: (status: NetworkStatus) => void): void;
  offNetworkStatusChange(listener: (status: NetworkStatus) => void): void;
}

// ---------------------------------------------------------------- storage

/** Synchronous key-value storage; wx storage by default (see `wxStorage`). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

export interface StorageWx {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: unknown): void;
  removeStorageSync(key: string): void;
}

// ---------------------------------------------------------------- files

export interface ProgressUpdate {
  progress: number;
  /** Upload tasks report `totalBytesSent`, download tasks `totalBytesWritten`. */
  totalBytesSent?: number;
  totalBytesExpectedToSend?: number;
  totalBytesWritten?: number;
  totalBytesExpectedToWrite?: number;
}

export interface TransferTaskLike {
  abort(): void;
  onProgressUpdate(listener: (update: ProgressUpdate) => void): void;
}

export interface UploadFileOptions extends WxCallbacks<{ statusCode: number; data: string }> {
  url: string;
  filePath: string;
  name: string;
  header?: Record<string, string>;
  formData?: Record<string, string>;
  timeout?: number;
}

export interface DownloadFileOptions extends WxCallbacks<{
  statusCode: number;
  tempFilePath: string;
}> {
  url: string;
  header?: Record<string, string>;
  timeout?: number;
}

export interface FileSystemLike {
  statSync(path: string): { size: number };
  /** With `encoding` undefined the result is an ArrayBuffer of `length` bytes from `position`. */
  readFileSync(
    path: string,
    encoding?: undefined,
    position?: number,
    length?: number,
  ): ArrayBuffer | string;
}

export interface FileWx {
  uploadFile(options: UploadFileOptions): TransferTaskLike;
  downloadFile(options: DownloadFileOptions): TransferTaskLike;
  getFileSystemManager(): FileSystemLike;
}

export interface MediaWx {
  compressImage(
    options: { src: string; quality?: number } & WxCallbacks<{ tempFilePath: string }>,
  ): void;
}

// ---------------------------------------------------------------- album and permissions

export interface AuthSetting {
  authSetting: Record<string, boolean | undefined>;
}

export interface AlbumWx {
  getSetting(options: WxCallbacks<AuthSetting>): void;
  authorize(options: { scope: string } & WxCallbacks<unknown>): void;
  openSetting(options: WxCallbacks<AuthSetting>): void;
  showModal(
    options: {
      title?: string;
      content?: string;
      confirmText?: string;
      cancelText?: string;
      showCancel?: boolean;
    } & WxCallbacks<{ confirm: boolean; cancel: boolean }>,
  ): void;
  saveImageToPhotosAlbum(options: { filePath: string } & WxCallbacks<unknown>): void;
}

// ---------------------------------------------------------------- defaults

// Module-local declaration: resolves to the runtime global without depending on the ambient
// miniprogram-api-typings declaration (benchmarks type-check without it).
declare const wx: unknown;

/** The global `wx`, typed as the slice a module needs. Throws a clear error outside WeChat. */
export function globalWx<T>(): T {
  if (typeof wx === 'undefined' || wx === null) {
    throw new Error('wx is not available: pass a wx implementation explicitly');
  }
  return wx as T;
}

/** A `KeyValueStore` over wx storage; a full or failing storage never throws into the caller. */
export function wxStorage(api: StorageWx = globalWx<StorageWx>()): KeyValueStore {
  return {
    get: (key) => {
      try {
        const value = api.getStorageSync(key);
        return value === '' ? undefined : value;
      } catch {
        return undefined;
      }
    },
    set: (key, value) => {
      try {
        api.setStorageSync(key, value);
      } catch {
        // Over quota: the in-memory state stays authoritative for this run.
      }
    },
    remove: (key) => {
      try {
        api.removeStorageSync(key);
      } catch {
        // Nothing to do: a key that cannot be removed is overwritten next time.
      }
    },
  };
}

/** Promise wrapper for wx callback APIs: every call settles exactly once. */
export function callWx<S>(invoke: (callbacks: Required<WxCallbacks<S>>) => void): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    try {
      invoke({ success: resolve, fail: reject });
    } catch (error) {
      reject(error);
    }
  });
}

/** Timers, injectable so tests and benchmarks control time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};
