/**
 * Fake `wx.uploadFile`, `wx.downloadFile` and `wx.getFileSystemManager()` over an in-memory file
 * system. Transfers report progress in `progressSteps` steps, `stepMs` apart (0: microtasks), can
 * be aborted, answer through scriptable handlers, and honour the shared network state.
 *
 *   const files = fake.extend('files', createFilesFamily(fake.context));
 *   files.addFile('http://tmp/a.jpg', 1000);  files.uploadReplies.push({ statusCode: 503 });
 */
import type { FakeWxContext } from './index';
import { later, type WxApis, type WxFail } from './types';

export interface TransferRecord {
  kind: 'upload' | 'download';
  url: string;
  filePath?: string;
  name?: string;
  header: Record<string, string>;
  formData?: Record<string, string>;
  state: 'running' | 'done' | 'failed' | 'aborted';
  /** Progress events delivered. */
  progressEvents: number;
}

export type UploadReply =
  | { statusCode: number; data?: string }
  | { fail: string }
  /** Never completes (until aborted). */
  | 'hang';

export type DownloadReply = { statusCode: number; bytes?: Uint8Array } | { fail: string } | 'hang';

export interface FilesControl {
  /** The file system: path → bytes. */
  readonly files: Map<string, Uint8Array>;
  /** Adds a file of `size` deterministic bytes (or the given bytes). */
  addFile(path: string, content: number | Uint8Array): Uint8Array;
  readonly transfers: TransferRecord[];
  /** Replies for the next uploads, in order; default: a FileInfo envelope. */
  readonly uploadReplies: UploadReply[];
  /** Replies for the next downloads, in order; default: 200 with 2048 bytes. */
  readonly downloadReplies: DownloadReply[];
  progressSteps: number;
  stepMs: number;
  /** Transfers running right now and the most at once. */
  readonly running: number;
  readonly maxRunning: number;
  /** readFileSync calls: position and length. */
  readonly reads: Array<{ path: string; position: number; length: number }>;
}

type Callbacks<S> = { success?: (r: S) => void; fail?: (r: WxFail) => void };

export function patternBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export function createFilesFamily(context: FakeWxContext): { apis: WxApis; control: FilesControl } {
  const files = new Map<string, Uint8Array>();
  const transfers: TransferRecord[] = [];
  let running = 0;
  let maxRunning = 0;
  let tempCounter = 0;
  const control: FilesControl = {
    files,
    addFile(path, content) {
      const bytes = typeof content === 'number' ? patternBytes(content, files.size + 1) : content;
      files.set(path, bytes);
      return bytes;
    },
    transfers,
    uploadReplies: [],
    downloadReplies: [],
    progressSteps: 4,
    stepMs: 0,
    get running() {
      return running;
    },
    get maxRunning() {
      return maxRunning;
    },
    reads: [],
  };

  /** Runs a transfer of `total` bytes; `finish` settles it unless aborted. */
  function transfer(
    record: TransferRecord,
    total: number,
    api: 'uploadFile' | 'downloadFile',
    option: Callbacks<never>,
    hang: boolean,
    finish: () => void,
  ) {
    const progressListeners: Array<(update: Record<string, number>) => void> = [];
    const cancels: Array<() => void> = [];
    running++;
    maxRunning = Math.max(maxRunning, running);
    const end = (state: TransferRecord['state']) => {
      if (record.state !== 'running') return false;
      record.state = state;
      running--;
      cancels.forEach((cancel) => cancel());
      return true;
    };
    const steps = Math.max(1, control.progressSteps);
    for (let step = 1; step <= steps && !hang; step++) {
      cancels.push(
        later(control.stepMs * step, () => {
          if (record.state !== 'running') return;
          record.progressEvents++;
          const done = Math.round((total * step) / steps);
          const update: Record<string, number> =
            api === 'uploadFile'
              ? {
                  progress: Math.round((100 * step) / steps),
                  totalBytesSent: done,
                  totalBytesExpectedToSend: total,
                }
              : {
                  progress: Math.round((100 * step) / steps),
                  totalBytesWritten: done,
                  totalBytesExpectedToWrite: total,
                };
          progressListeners.forEach((listener) => listener(update));
          if (step === steps && end('done')) finish();
        }),
      );
    }
    return {
      abort() {
        if (end('aborted')) later(0, () => option.fail?.({ errMsg: `${api}:fail abort` }));
      },
      onProgressUpdate(listener: (update: Record<string, number>) => void) {
        progressListeners.push(listener);
      },
      offProgressUpdate() {
        progressListeners.length = 0;
      },
      failNow(errMsg: string) {
        if (end('failed')) later(0, () => option.fail?.({ errMsg }));
      },
    };
  }

  const apis = {
    uploadFile(
      option: {
        url: string;
        filePath: string;
        name: string;
        header?: Record<string, string>;
        formData?: Record<string, string>;
      } & Callbacks<{ statusCode: number; data: string }>,
    ) {
      const record: TransferRecord = {
        kind: 'upload',
        url: option.url,
        filePath: option.filePath,
        name: option.name,
        header: { ...(option.header ?? {}) },
        formData: option.formData,
        state: 'running',
        progressEvents: 0,
      };
      transfers.push(record);
      const bytes = files.get(option.filePath);
      const reply = control.uploadReplies.shift() ?? {
        statusCode: 200,
        data: JSON.stringify({
          success: true,
          data: {
            id: `f${transfers.length}`,
            filename: option.filePath.split('/').pop(),
            mime: 'image/jpeg',
            size: bytes?.length ?? 0,
            sha256: '0'.repeat(64),
            url: `/files/f${transfers.length}`,
            createdAt: 1,
          },
          traceId: 't',
        }),
      };
      const task = transfer(
        record,
        bytes?.length ?? 0,
        'uploadFile',
        option as Callbacks<never>,
        reply === 'hang',
        () => {
          if (reply === 'hang') return;
          if ('fail' in reply) option.fail?.({ errMsg: reply.fail });
          else option.success?.({ statusCode: reply.statusCode, data: reply.data ?? '' });
        },
      );
      if (!bytes) task.failNow('uploadFile:fail file not found');
      else if (!context.online()) task.failNow('uploadFile:fail network is down');
      return task;
    },
    downloadFile(
      option: { url: string; header?: Record<string, string> } & Callbacks<{
        statusCode: number;
        tempFilePath: string;
      }>,
    ) {
      const record: TransferRecord = {
        kind: 'download',
        url: option.url,
        header: { ...(option.header ?? {}) },
        state: 'running',
        progressEvents: 0,
      };
      transfers.push(record);
      const reply = control.downloadReplies.shift() ?? { statusCode: 200 };
      const bytes =
        reply !== 'hang' && !('fail' in reply) ? (reply.bytes ?? patternBytes(2048, 7)) : undefined;
      const task = transfer(
        record,
        bytes?.length ?? 0,
        'downloadFile',
        option as Callbacks<never>,
        reply === 'hang',
        () => {
          if (reply === 'hang') return;
          if ('fail' in reply) return option.fail?.({ errMsg: reply.fail });
          const tempFilePath = `http://tmp/download-${++tempCounter}`;
          files.set(tempFilePath, bytes as Uint8Array);
          option.success?.({ statusCode: reply.statusCode, tempFilePath });
        },
      );
      if (!context.online()) task.failNow('downloadFile:fail network is down');
      return task;
    },
    getFileSystemManager() {
      return {
        statSync(path: string) {
          const bytes = files.get(path);
          if (!bytes) throw new Error(`statSync:fail no such file or directory ${path}`);
          return { size: bytes.length, isFile: () => true, isDirectory: () => false };
        },
        readFileSync(path: string, encoding?: string, position = 0, length?: number) {
          const bytes = files.get(path);
          if (!bytes) throw new Error(`readFileSync:fail no such file or directory ${path}`);
          const end =
            length === undefined ? bytes.length : Math.min(bytes.length, position + length);
          control.reads.push({ path, position, length: end - position });
          const slice = bytes.slice(position, end);
          if (encoding) return String.fromCharCode(...slice);
          return slice.buffer;
        },
      };
    },
  };
  return { apis: apis as unknown as WxApis, control };
}
