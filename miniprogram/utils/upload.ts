/**
 * The upload queue: files go to POST /api/uploads (multipart, field `file`) through the shared
 * scheduler (kind 'upload', so they count against WeChat's 10 concurrent network tasks), at most
 * `concurrency` at a time (default 3). Each file reports its own progress and the queue an
 * aggregate; any file or all of them can be cancelled (the wx task is aborted); a failed attempt
 * is retried with full-jitter backoff when retrying can help. Images can be compressed first.
 */
import type { Envelope, FileInfo } from '../../typings/api';
import { backoffDelay } from './backoff';
import type { BackoffOptions } from './backoff';
import { CancelSource } from './cancel';
import type { CancelSignal } from './cancel';
import { createClientId } from './client-id';
import type { SessionSource, TaskScheduler } from './contracts';
import { AppError, isAppError, toAppError } from './errors';
import { fromStatus, fromWxFail, isRetryable, sleep } from './transfer-errors';
import type { FileWx, MediaWx, Timers } from './wx-ports';
import { callWx, globalWx, realTimers } from './wx-ports';

export interface UploadInput {
  /** A temp or user file path from chooseMedia etc. */
  path: string;
  /** Shown in the UI; defaults to the path's last segment. */
  name?: string;
  /** Overrides the queue's `compress` setting for this file. */
  compress?: boolean;
  formData?: Record<string, string>;
}

export type UploadState =
  'queued' | 'compressing' | 'uploading' | 'retrying' | 'done' | 'failed' | 'cancelled';

export interface UploadProgress {
  id: string;
  path: string;
  name: string;
  state: UploadState;
  loaded: number;
  /** 0 until known. */
  total: number;
  percent: number;
  attempts: number;
  error?: AppError;
  result?: FileInfo;
}

export interface UploadSnapshot {
  files: UploadProgress[];
  /** Bytes over every file not cancelled. */
  loaded: number;
  total: number;
  percent: number;
  done: number;
  failed: number;
  active: number;
}

export interface UploadHandle {
  id: string;
  /** Resolves with the stored file; rejects with an AppError (kind `cancelled` on cancel). */
  promise: Promise<FileInfo>;
  cancel(): void;
}

export interface UploadQueueOptions {
  /** API origin, e.g. https://api.example.com */
  baseURL: string;
  scheduler: TaskScheduler;
  session: SessionSource;
  wx?: FileWx & Partial<MediaWx>;
  /** Default '/api/uploads'. */
  path?: string;
  /** Files uploading at once. Default 3. */
  concurrency?: number;
  /** Attempts per file. Default 3. */
  maxAttempts?: number;
  /** Defaults: base 500 ms, cap 10 s. */
  backoff?: BackoffOptions;
  /** Compress images before upload (wx.compressImage) with this quality 1..100. */
  compress?: { quality: number } | false;
  /** Per attempt. Default 60 s. */
  timeoutMs?: number;
  timers?: Timers;
}

interface Job {
  progress: UploadProgress;
  input: UploadInput;
  cancel: CancelSource;
  resolve: (file: FileInfo) => void;
  reject: (error: AppError) => void;
  /** Taken by a worker (its state changes only after an await). */
  started: boolean;
}

export class UploadQueue {
  private readonly jobs: Job[] = [];
  private readonly listeners = new Set<(snapshot: UploadSnapshot) => void>();
  private running = 0;
  private readonly timers: Timers;

  constructor(private readonly options: UploadQueueOptions) {
    this.timers = options.timers ?? realTimers;
  }

  add(input: UploadInput): UploadHandle {
    if (!input || typeof input.path !== 'string' || input.path === '') {
      const error = new AppError({
        kind: 'business',
        code: 'VALIDATION_FAILED',
        message: 'upload needs a file path',
      });
      return { id: '', promise: Promise.reject(error), cancel: () => undefined };
    }
    const id = createClientId('u');
    const cancel = new CancelSource();
    let resolve!: (file: FileInfo) => void;
    let reject!: (error: AppError) => void;
    const promise = new Promise<FileInfo>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job = {
      started: false,
      input,
      cancel,
      resolve,
      reject,
      progress: {
        id,
        path: input.path,
        name: input.name ?? input.path.split('/').pop() ?? input.path,
        state: 'queued',
        loaded: 0,
        total: this.sizeOf(input.path),
        percent: 0,
        attempts: 0,
      },
    };
    this.jobs.push(job);
    cancel.signal.onAbort(() => {
      // A job not started yet settles here; a running one settles when its task aborts.
      if (job.progress.state === 'queued') this.finish(job, 'cancelled', cancelledError());
    });
    this.changed();
    this.pump();
    return { id, promise, cancel: () => this.cancel(id) };
  }

  addAll(inputs: UploadInput[]): UploadHandle[] {
    return inputs.map((input) => this.add(input));
  }

  cancel(id: string): void {
    this.jobs.find((job) => job.progress.id === id)?.cancel.cancel('cancelled by user');
  }

  cancelAll(): void {
    for (const job of [...this.jobs]) job.cancel.cancel('cancelled by user');
  }

  /** Removes finished files from the list (not the running or queued ones). */
  clearFinished(): void {
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      if (isFinal(this.jobs[i].progress.state)) this.jobs.splice(i, 1);
    }
    this.changed();
  }

  snapshot(): UploadSnapshot {
    const files = this.jobs.map((job) => ({ ...job.progress }));
    const counted = files.filter((file) => file.state !== 'cancelled');
    const loaded = counted.reduce((sum, file) => sum + file.loaded, 0);
    const total = counted.reduce((sum, file) => sum + file.total, 0);
    return {
      files,
      loaded,
      total,
      percent: total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0,
      done: files.filter((file) => file.state === 'done').length,
      failed: files.filter((file) => file.state === 'failed').length,
      active: this.running,
    };
  }

  subscribe(listener: (snapshot: UploadSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Cancels everything and drops the listeners. */
  dispose(): void {
    this.cancelAll();
    this.listeners.clear();
  }

  private get wx(): FileWx & Partial<MediaWx> {
    return this.options.wx ?? globalWx<FileWx & Partial<MediaWx>>();
  }

  private pump(): void {
    const limit = Math.max(1, this.options.concurrency ?? 3);
    while (this.running < limit) {
      const next = this.jobs.find((job) => !job.started && job.progress.state === 'queued');
      if (!next) return;
      next.started = true;
      this.running++;
      void this.run(next).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    const signal = job.cancel.signal;
    try {
      const path = await this.prepare(job);
      const maxAttempts = this.options.maxAttempts ?? 3;
      for (;;) {
        job.progress.attempts++;
        this.update(job, { state: 'uploading', loaded: 0 });
        try {
          const file = await this.options.scheduler.schedule(
            () => this.transfer(job, path, signal),
            {
              kind: 'upload',
              signal,
              label: `upload ${job.progress.name}`,
            },
          );
          job.progress.result = file;
          this.finish(job, 'done');
          job.resolve(file);
          return;
        } catch (raw) {
          const error = toAppError(raw);
          if (signal.aborted || error.kind === 'cancelled') throw cancelledError();
          if (!isRetryable(error) || job.progress.attempts >= maxAttempts) throw error;
          this.update(job, { state: 'retrying', error });
          const backoff = { baseMs: 500, capMs: 10_000, ...this.options.backoff };
          await sleep(backoffDelay(job.progress.attempts - 1, backoff), this.timers, signal);
        }
      }
    } catch (raw) {
      const error = toAppError(raw);
      this.finish(job, error.kind === 'cancelled' ? 'cancelled' : 'failed', error);
    }
  }

  /** Compresses the image when asked; compression is an optimisation, so failure falls back. */
  private async prepare(job: Job): Promise<string> {
    const setting = this.options.compress;
    const wanted = job.input.compress ?? !!setting;
    const compressImage = this.wx.compressImage;
    if (!wanted || !compressImage) return job.input.path;
    this.update(job, { state: 'compressing' });
    const quality = setting ? setting.quality : 80;
    try {
      const { tempFilePath } = await callWx<{ tempFilePath: string }>((callbacks) =>
        compressImage.call(this.wx, { src: job.input.path, quality, ...callbacks }),
      );
      if (job.cancel.signal.aborted) throw cancelledError();
      this.update(job, { total: this.sizeOf(tempFilePath) || job.progress.total });
      return tempFilePath;
    } catch (error) {
      if (isAppError(error)) throw error;
      return job.input.path;
    }
  }

  private async transfer(job: Job, filePath: string, signal: CancelSignal): Promise<FileInfo> {
    const session = await this.options.session.ensure(signal);
    return new Promise<FileInfo>((resolve, reject) => {
      // Filled in once the task exists; wx callbacks never fire synchronously.
      const abortLink: { off?: () => void } = {};
      const settle = (outcome: () => void) => {
        abortLink.off?.();
        outcome();
      };
      const task = this.wx.uploadFile({
        url: `${this.options.baseURL}${this.options.path ?? '/api/uploads'}`,
        filePath,
        name: 'file',
        header: { Authorization: `Bearer ${session.token}` },
        formData: job.input.formData,
        timeout: this.options.timeoutMs ?? 60_000,
        success: ({ statusCode, data }) =>
          settle(() => {
            if (statusCode === 401) this.options.session.invalidate(session.generation);
            try {
              resolve(parseReply(statusCode, data));
            } catch (error) {
              reject(error);
            }
          }),
        fail: (error) =>
          settle(() => reject(signal.aborted ? cancelledError() : fromWxFail(error))),
      });
      task.onProgressUpdate((update) => {
        const total = update.totalBytesExpectedToSend ?? job.progress.total;
        const loaded = update.totalBytesSent ?? Math.round((total * update.progress) / 100);
        this.update(job, { loaded, total });
      });
      abortLink.off = signal.onAbort(() => task.abort());
    });
  }

  private finish(job: Job, state: 'done' | 'failed' | 'cancelled', error?: AppError): void {
    if (isFinal(job.progress.state)) return;
    const loaded =
      state === 'done' ? job.progress.total || job.progress.loaded : job.progress.loaded;
    this.update(job, { state, loaded, error });
    if (error) job.reject(error);
  }

  private update(job: Job, patch: Partial<UploadProgress>): void {
    Object.assign(job.progress, patch);
    if (patch.state === 'uploading' || patch.state === 'done') delete job.progress.error;
    const { loaded, total } = job.progress;
    job.progress.percent = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
    this.changed();
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const listener of [...this.listeners]) listener(snapshot);
  }

  private sizeOf(path: string): number {
    try {
      return this.wx.getFileSystemManager().statSync(path).size;
    } catch {
      return 0;
    }
  }
}

/** The server answers with an Envelope<FileInfo> JSON string in `data`. */
function parseReply(statusCode: number, data: string): FileInfo {
  let envelope: Envelope<FileInfo> | undefined;
  try {
    envelope = JSON.parse(data) as Envelope<FileInfo>;
  } catch {
    envelope = undefined;
  }
  const ok = statusCode >= 200 && statusCode < 300;
  if (ok && envelope?.success && envelope.data) return envelope.data;
  if (ok && (!envelope || typeof envelope !== 'object')) {
    throw new AppError({ kind: 'parse', status: statusCode, message: 'upload reply is not JSON' });
  }
  // A refusal: keep the status's kind (auth, http) or `business` for a 2xx failure envelope,
  // with the server's code and message when it sent an envelope.
  const kind = ok ? 'business' : fromStatus(statusCode).kind;
  if (!ok && !envelope?.errorCode) throw fromStatus(statusCode, envelope ?? data);
  throw new AppError({
    kind,
    status: statusCode,
    code: envelope?.errorCode,
    serverMessage: envelope?.errorMessage,
    showType: envelope?.showType,
    traceId: envelope?.traceId,
  });
}

function isFinal(state: UploadState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

function cancelledError(): AppError {
  return new AppError({ kind: 'cancelled', message: 'upload cancelled' });
}
