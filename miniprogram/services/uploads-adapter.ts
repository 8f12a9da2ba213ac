/**
 * The album's upload list over two engines: the upload queue (utils/upload: multipart, a few at
 * a time, cancel) for ordinary files, and the resumable chunked upload for large ones. Rows keep
 * their id across a retry, so the page's list does not jump.
 */
import type { FileInfo } from '../../typings/api';
import { CancelSource } from '../utils/cancel';
import type { CancelSignal } from '../utils/cancel';
import type { UploadItemView, UploadPort, UploadState } from './ports';

type QueueState =
  'queued' | 'compressing' | 'uploading' | 'retrying' | 'done' | 'failed' | 'cancelled';

/** The part of utils/upload's UploadQueue this adapter uses. */
export interface UploadQueueLike {
  add(input: { path: string; name?: string }): { id: string; promise: Promise<FileInfo> };
  cancel(id: string): void;
  snapshot(): {
    files: Array<{
      id: string;
      state: QueueState;
      percent: number;
      result?: FileInfo;
      error?: { message: string; userMessage?: string };
    }>;
  };
  subscribe(listener: () => void): () => void;
}

/** A resumable upload of one large file (utils/chunked-upload behind a small function). */
export type ResumableUpload = (
  file: { path: string; size: number; name: string },
  onProgress: (percent: number) => void,
  signal: CancelSignal,
) => Promise<FileInfo>;

export interface UploadsAdapterOptions {
  queue: UploadQueueLike;
  /** Files of at least this size go through `resumable` when it is given. */
  resumableThresholdBytes: number;
  resumable?: ResumableUpload;
  describeError?: (error: unknown) => string;
}

interface Row {
  id: string;
  name: string;
  path: string;
  size: number;
  resumable: boolean;
  /** Current queue job id (queue engine). */
  jobId?: string;
  /** Resumable engine state. */
  own?: {
    state: UploadState;
    progress: number;
    cancel: CancelSource;
    file?: FileInfo;
    error?: string;
  };
}

function fromQueue(state: QueueState): UploadState {
  if (state === 'compressing' || state === 'retrying') return 'uploading';
  return state;
}

let rowCounter = 0;

function baseName(path: string): string {
  return path.split('/').pop() || path;
}

/**
 * The server resumes a chunked upload whose filename, size, hash and chunk size match. WeChat
 * hands out a new random temp name each time a file is chosen, so after a restart the same
 * photo would look new: the name is made from what stays the same (size and type) instead.
 */
export function resumableName(file: { path: string; size: number }): string {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(file.path)?.[1]?.toLowerCase() ?? 'bin';
  return `photo-${file.size}.${extension}`;
}

export class UploadsAdapter implements UploadPort {
  private readonly rows: Row[] = [];
  private readonly listeners = new Set<(items: UploadItemView[]) => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: UploadsAdapterOptions) {
    this.unsubscribe = options.queue.subscribe(() => this.emit());
  }

  add(files: Array<{ path: string; size: number; name?: string }>): void {
    for (const file of files) {
      rowCounter += 1;
      const resumable =
        this.options.resumable !== undefined && file.size >= this.options.resumableThresholdBytes;
      const row: Row = {
        id: `r${rowCounter}`,
        name: resumable ? resumableName(file) : (file.name ?? baseName(file.path)),
        path: file.path,
        size: file.size,
        resumable,
      };
      this.rows.push(row);
      this.start(row);
    }
    this.emit();
  }

  cancel(id: string): void {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (!row) return;
    if (row.own) row.own.cancel.cancel('cancelled by user');
    else if (row.jobId) this.options.queue.cancel(row.jobId);
  }

  retry(id: string): void {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (!row) return;
    const state = this.view(row).state;
    if (state !== 'failed' && state !== 'cancelled') return;
    this.start(row);
    this.emit();
  }

  list(): UploadItemView[] {
    return this.rows.map((row) => this.view(row));
  }

  subscribe(listener: (items: UploadItemView[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private start(row: Row): void {
    if (row.resumable && this.options.resumable) {
      this.startResumable(row, this.options.resumable);
      return;
    }
    const handle = this.options.queue.add({ path: row.path, name: row.name });
    row.jobId = handle.id;
    // Outcomes are read from the queue's snapshot; the promise only must not go unhandled.
    handle.promise.catch(() => undefined);
  }

  private startResumable(row: Row, upload: ResumableUpload): void {
    const own = { state: 'uploading' as UploadState, progress: 0, cancel: new CancelSource() };
    row.own = own;
    upload(
      { path: row.path, size: row.size, name: row.name },
      (percent) => {
        if (row.own !== own) return;
        own.progress = percent;
        this.emit();
      },
      own.cancel.signal,
    ).then(
      (file) => {
        if (row.own !== own) return;
        row.own = { ...own, state: 'done', progress: 100, file };
        this.emit();
      },
      (error: unknown) => {
        if (row.own !== own) return;
        const cancelled = own.cancel.signal.aborted;
        row.own = {
          ...own,
          state: cancelled ? 'cancelled' : 'failed',
          error: cancelled ? undefined : (this.options.describeError?.(error) ?? String(error)),
        };
        this.emit();
      },
    );
  }

  private view(row: Row): UploadItemView {
    const base = {
      id: row.id,
      name: row.name,
      path: row.path,
      size: row.size,
      resumable: row.resumable,
    };
    if (row.own) {
      return {
        ...base,
        state: row.own.state,
        progress: row.own.progress,
        file: row.own.file,
        error: row.own.error,
      };
    }
    const job = this.options.queue.snapshot().files.find((file) => file.id === row.jobId);
    if (!job) return { ...base, state: 'queued', progress: 0 };
    return {
      ...base,
      state: fromQueue(job.state),
      progress: job.state === 'done' ? 100 : job.percent,
      file: job.result,
      error: job.error ? (job.error.userMessage ?? job.error.message) : undefined,
    };
  }

  private emit(): void {
    const items = this.list();
    for (const listener of [...this.listeners]) listener(items);
  }
}
