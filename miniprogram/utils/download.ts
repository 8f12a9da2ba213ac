/**
 * Downloads through the shared scheduler (kind 'download', counted against WeChat's 10 concurrent
 * network tasks), with progress, cancellation and typed errors. Resolves with the temp file path.
 */
import type { CancelSignal } from './cancel';
import type { Priority, SessionSource, TaskScheduler } from './contracts';
import { AppError } from './errors';
import { fromStatus, fromWxFail } from './transfer-errors';
import type { FileWx } from './wx-ports';
import { globalWx } from './wx-ports';

export interface DownloadProgress {
  loaded: number;
  total: number;
  percent: number;
}

export interface DownloadOptions {
  scheduler: TaskScheduler;
  wx?: Pick<FileWx, 'downloadFile'>;
  /** Sends the bearer token when given (protected files); public URLs need none. */
  session?: SessionSource;
  header?: Record<string, string>;
  signal?: CancelSignal;
  priority?: Priority;
  /** Default 60 s. */
  timeoutMs?: number;
  onProgress?: (progress: DownloadProgress) => void;
}

export interface DownloadResult {
  tempFilePath: string;
  statusCode: number;
}

export function downloadFile(url: string, options: DownloadOptions): Promise<DownloadResult> {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    return Promise.reject(
      new AppError({
        kind: 'business',
        code: 'VALIDATION_FAILED',
        message: `not a downloadable URL: ${url}`,
      }),
    );
  }
  const { signal } = options;
  return options.scheduler.schedule(
    async () => {
      const header = { ...options.header };
      const session = options.session ? await options.session.ensure(signal) : undefined;
      if (session) header.Authorization = `Bearer ${session.token}`;
      return new Promise<DownloadResult>((resolve, reject) => {
        // Filled in once the task exists; wx callbacks never fire synchronously.
        const abortLink: { off?: () => void } = {};
        const api = options.wx ?? globalWx<Pick<FileWx, 'downloadFile'>>();
        const task = api.downloadFile({
          url,
          header,
          timeout: options.timeoutMs ?? 60_000,
          success: ({ statusCode, tempFilePath }) => {
            abortLink.off?.();
            if (statusCode >= 200 && statusCode < 300) return resolve({ statusCode, tempFilePath });
            if (statusCode === 401 && session) options.session?.invalidate(session.generation);
            reject(fromStatus(statusCode));
          },
          fail: (error) => {
            abortLink.off?.();
            reject(
              signal?.aborted
                ? new AppError({ kind: 'cancelled', cause: signal.reason })
                : fromWxFail(error),
            );
          },
        });
        task.onProgressUpdate((update) => {
          const total = update.totalBytesExpectedToWrite ?? 0;
          const loaded = update.totalBytesWritten ?? 0;
          options.onProgress?.({ loaded, total, percent: update.progress });
        });
        abortLink.off = signal?.onAbort(() => task.abort());
      });
    },
    { kind: 'download', signal, priority: options.priority, label: `download ${url}` },
  );
}
