/**
 * Resumable upload of large files (typings/api.d.ts, "chunked"):
 *   POST /api/uploads/chunked {filename,size,sha256,chunkSize} → {uploadId, received[], ...}
 *   PUT  /api/uploads/chunked/:uploadId/chunks/:index  (raw bytes, application/octet-stream)
 *   POST /api/uploads/chunked/:uploadId/complete → FileInfo
 * The SHA-256 is computed on the device slice by slice (sha256.ts). A manifest (file, size,
 * hash, uploadId, chunks sent) is persisted after every chunk, so after an app restart the upload
 * resumes from the first chunk the server does not have, without hashing the file again. The
 * server's `received` list is the truth: a chunk it holds is never sent again.
 */
import type {
  ChunkedUploadCreate,
  ChunkedUploadSession,
  ChunkReceipt,
  FileInfo,
} from '../../typings/api';
import type { CancelSignal } from './cancel';
import type { HttpLike } from './contracts';
import { AppError, isAppError } from './errors';
import { Sha256 } from './sha256';
import type { FileSystemLike, FileWx, KeyValueStore } from './wx-ports';
import { globalWx, wxStorage } from './wx-ports';

export const MIN_CHUNK_SIZE = 64 * 1024;
export const MAX_CHUNK_SIZE = 8 * 1024 * 1024;
export const MAX_CHUNKED_FILE_SIZE = 100 * 1024 * 1024;

export interface ChunkedUploadOptions {
  http: HttpLike;
  wx?: Pick<FileWx, 'getFileSystemManager'>;
  storage?: KeyValueStore;
  /** Bytes per chunk, clamped to 64 KB..8 MB. Default 1 MB. */
  chunkSize?: number;
  /** Default '/api/uploads/chunked'. */
  path?: string;
  /** Default 'upload.chunked:'. */
  storagePrefix?: string;
}

export interface ChunkedUploadProgress {
  phase: 'hashing' | 'uploading' | 'completing';
  /** Bytes hashed, or bytes the server holds. */
  loaded: number;
  total: number;
  /** Chunks sent by this call, and chunks skipped because the server already had them. */
  chunksSent: number;
  chunksSkipped: number;
}

export interface ChunkedUploadCall {
  /** Display name sent to the server; defaults to the path's last segment. */
  filename?: string;
  signal?: CancelSignal;
  onProgress?: (progress: ChunkedUploadProgress) => void;
}

interface Manifest {
  filePath: string;
  filename: string;
  size: number;
  sha256: string;
  chunkSize: number;
  uploadId?: string;
  /** Chunks this device sent and the server acknowledged. */
  sent: number[];
}

export class ChunkedUploader {
  /** Chunk bytes sent over the lifetime of this uploader (benchmarks read it). */
  bytesSent = 0;
  private readonly chunkSize: number;

  constructor(private readonly options: ChunkedUploadOptions) {
    const wanted = options.chunkSize ?? 1024 * 1024;
    this.chunkSize = Math.min(MAX_CHUNK_SIZE, Math.max(MIN_CHUNK_SIZE, Math.floor(wanted)));
  }

  /** Uploads (or resumes uploading) `filePath`; resolves with the stored file. */
  async upload(filePath: string, call: ChunkedUploadCall = {}): Promise<FileInfo> {
    const fs = this.fs();
    const size = statSize(fs, filePath);
    if (size <= 0 || size > MAX_CHUNKED_FILE_SIZE) {
      throw new AppError({
        kind: 'business',
        code: 'VALIDATION_FAILED',
        message: `chunked uploads take 1 byte..100 MB, got ${size}`,
      });
    }
    const { signal, onProgress } = call;
    const manifest = this.resume(filePath, size) ?? this.startManifest(filePath, size, call, fs);
    throwIfAborted(signal);
    const base = this.options.path ?? '/api/uploads/chunked';
    const body: ChunkedUploadCreate = {
      filename: manifest.filename,
      size,
      sha256: manifest.sha256,
      chunkSize: manifest.chunkSize,
    };
    const session = await this.options.http.request<ChunkedUploadSession>({
      method: 'POST',
      url: base,
      data: body,
      signal,
    });
    if (session.file) {
      this.forget(filePath);
      return session.file;
    }
    manifest.uploadId = session.uploadId;
    this.save(manifest);

    const chunkSize = session.chunkSize || manifest.chunkSize;
    const received = new Set(session.received);
    const progress: ChunkedUploadProgress = {
      phase: 'uploading',
      loaded: 0,
      total: size,
      chunksSent: 0,
      chunksSkipped: 0,
    };
    const chunkBytes = (index: number) => Math.min(chunkSize, size - index * chunkSize);
    for (const index of received)
      progress.loaded += index < session.totalChunks ? chunkBytes(index) : 0;
    for (let index = 0; index < session.totalChunks; index++) {
      if (received.has(index)) {
        progress.chunksSkipped++;
        continue;
      }
      throwIfAborted(signal);
      const length = chunkBytes(index);
      const data = readSlice(fs, filePath, index * chunkSize, length);
      try {
        await this.options.http.request<ChunkReceipt>({
          method: 'PUT',
          url: `${base}/${encodeURIComponent(session.uploadId)}/chunks/${index}`,
          data,
          header: { 'Content-Type': 'application/octet-stream' },
          signal,
          // An upload under way pauses while offline and goes on when the network is back.
          offline: 'queue',
        });
      } catch (error) {
        // The server no longer knows this upload: start over next time.
        if (isAppError(error) && error.status === 404) this.forget(filePath);
        throw error;
      }
      this.bytesSent += length;
      manifest.sent.push(index);
      this.save(manifest);
      progress.chunksSent++;
      progress.loaded += length;
      onProgress?.({ ...progress });
    }

    onProgress?.({ ...progress, phase: 'completing' });
    try {
      const file = await this.options.http.request<FileInfo>({
        method: 'POST',
        url: `${base}/${encodeURIComponent(session.uploadId)}/complete`,
        signal,
        offline: 'queue',
      });
      this.forget(filePath);
      return file;
    } catch (error) {
      // A refused completion (hash or size mismatch: the file changed) cannot succeed by resuming.
      if (
        isAppError(error) &&
        error.status !== undefined &&
        error.status >= 400 &&
        error.status < 500
      ) {
        this.forget(filePath);
      }
      throw error;
    }
  }

  /** Drops the persisted manifest of `filePath`. */
  forget(filePath: string): void {
    this.storage().remove(this.key(filePath));
    this.setIndex(this.index().filter((path) => path !== filePath));
  }

  /**
   * Uploads left unfinished (by this or a previous run of the app), oldest first, so the app can
   * offer to resume them after a restart. Resuming needs the file itself: temp files may be
   * cleaned when the app closes, so large uploads should start from a saved copy
   * (`wx.env.USER_DATA_PATH`).
   */
  unfinished(): Array<{ filePath: string; filename: string; size: number; chunksSent: number }> {
    return this.index()
      .map((path) => this.manifest(path))
      .filter((manifest): manifest is Readonly<Manifest> => manifest !== undefined)
      .map(({ filePath, filename, size, sent }) => ({
        filePath,
        filename,
        size,
        chunksSent: sent.length,
      }));
  }

  /** The persisted manifest for `filePath`, if any (for UIs that list resumable uploads). */
  manifest(filePath: string): Readonly<Manifest> | undefined {
    const stored = this.storage().get(this.key(filePath));
    return isManifest(stored) ? stored : undefined;
  }

  private resume(filePath: string, size: number): Manifest | undefined {
    const stored = this.manifest(filePath);
    // A different size means a different file at the same path: hash again.
    if (!stored || stored.size !== size || stored.filePath !== filePath) return undefined;
    return { ...stored, sent: [...stored.sent] };
  }

  private startManifest(
    filePath: string,
    size: number,
    call: ChunkedUploadCall,
    fs: FileSystemLike,
  ): Manifest {
    const hash = new Sha256();
    const sliceSize = this.chunkSize;
    for (let position = 0; position < size; position += sliceSize) {
      throwIfAborted(call.signal);
      const length = Math.min(sliceSize, size - position);
      hash.update(readSlice(fs, filePath, position, length));
      call.onProgress?.({
        phase: 'hashing',
        loaded: position + length,
        total: size,
        chunksSent: 0,
        chunksSkipped: 0,
      });
    }
    const manifest: Manifest = {
      filePath,
      filename: call.filename ?? filePath.split('/').pop() ?? 'file',
      size,
      sha256: hash.hex(),
      chunkSize: this.chunkSize,
      sent: [],
    };
    this.save(manifest);
    return manifest;
  }

  private save(manifest: Manifest): void {
    this.storage().set(this.key(manifest.filePath), manifest);
    const index = this.index();
    if (!index.includes(manifest.filePath)) this.setIndex([...index, manifest.filePath]);
  }

  private index(): string[] {
    const stored = this.storage().get(`${this.prefix()}index`);
    return Array.isArray(stored)
      ? stored.filter((path): path is string => typeof path === 'string')
      : [];
  }

  private setIndex(paths: string[]): void {
    this.storage().set(`${this.prefix()}index`, paths);
  }

  private prefix(): string {
    return this.options.storagePrefix ?? 'upload.chunked:';
  }

  private key(filePath: string): string {
    return `${this.prefix()}file:${filePath}`;
  }

  private storage(): KeyValueStore {
    return this.options.storage ?? wxStorage();
  }

  private fs(): FileSystemLike {
    return (
      this.options.wx ?? globalWx<Pick<FileWx, 'getFileSystemManager'>>()
    ).getFileSystemManager();
  }
}

function statSize(fs: FileSystemLike, filePath: string): number {
  if (typeof filePath !== 'string' || filePath === '') {
    throw new AppError({ kind: 'business', code: 'VALIDATION_FAILED', message: 'no file path' });
  }
  try {
    return fs.statSync(filePath).size;
  } catch (error) {
    throw new AppError({
      kind: 'business',
      code: 'NOT_FOUND',
      message: `cannot read ${filePath}`,
      cause: error,
    });
  }
}

function readSlice(
  fs: FileSystemLike,
  filePath: string,
  position: number,
  length: number,
): ArrayBuffer {
  const data = fs.readFileSync(filePath, undefined, position, length);
  if (typeof data === 'string' || data.byteLength !== length) {
    throw new AppError({
      kind: 'business',
      code: 'FILE_CHANGED',
      message: `read ${typeof data === 'string' ? 'text' : data.byteLength} bytes at ${position}, expected ${length}`,
    });
  }
  return data;
}

function throwIfAborted(signal: CancelSignal | undefined): void {
  if (signal?.aborted)
    throw new AppError({ kind: 'cancelled', message: 'upload cancelled', cause: signal.reason });
}

function isManifest(value: unknown): value is Manifest {
  if (!value || typeof value !== 'object') return false;
  const m = value as Partial<Manifest>;
  return (
    typeof m.filePath === 'string' &&
    typeof m.filename === 'string' &&
    typeof m.size === 'number' &&
    typeof m.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(m.sha256) &&
    typeof m.chunkSize === 'number' &&
    Array.isArray(m.sent)
  );
}
