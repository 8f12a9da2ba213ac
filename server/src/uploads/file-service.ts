import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  ChunkReceipt,
  ChunkedUploadCreate,
  ChunkedUploadSession,
  FileInfo,
  PageResult,
} from '../../../typings/api';
import type { Clock } from '../config';
import { AppError, notFound } from '../domain/errors';
import { normalizePage, pageResult, type RawPageInput } from '../domain/rules';
import type { FileRecord, Repositories, UploadSessionRecord } from '../repositories/types';
import { BlobStore } from './blob-store';
import { sanitizeFilename } from './filename';
import { SNIFF_BYTES, sniffImageType } from './magic';

export interface FileEvents {
  onChunk?(uploadId: string, index: number): void;
}

interface Written {
  path: string;
  size: number;
  sha256: string;
  head: Buffer;
}

export const newFileId = (): string => crypto.randomBytes(18).toString('base64url');
export const newUploadId = (): string => crypto.randomBytes(16).toString('base64url');

export function toFileInfo(file: FileRecord): FileInfo {
  return {
    id: file.id,
    filename: file.filename,
    mime: file.mime,
    size: file.size,
    sha256: file.sha256,
    url: `/files/${file.id}`,
    createdAt: file.createdAt,
  };
}

/** Hashes, counts and keeps the first bytes of whatever flows through. */
function measuring(into: {
  size: number;
  hash: crypto.Hash;
  head: Buffer[];
  headBytes: number;
}): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      into.size += chunk.length;
      into.hash.update(chunk);
      if (into.headBytes < SNIFF_BYTES) {
        into.head.push(chunk.subarray(0, SNIFF_BYTES - into.headBytes));
        into.headBytes += Math.min(chunk.length, SNIFF_BYTES - into.headBytes);
      }
      done(null, chunk);
    },
  });
}

export class FileService {
  constructor(
    private readonly repos: Repositories,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
    private readonly events: FileEvents = {},
  ) {}

  /** Streams to a temp file; `tooLarge()` tells whether the source stopped at its size limit. */
  async storeStream(
    userId: string,
    filename: string,
    source: Readable,
    tooLarge: () => boolean,
    maxBytes: number,
  ): Promise<FileInfo> {
    let written: Written;
    try {
      written = await this.writeTemp([source]);
    } catch (error) {
      if (tooLarge() || isFileTooLarge(error)) throw payloadTooLarge(maxBytes);
      throw error;
    }
    if (tooLarge()) {
      await this.blobs.discard(written.path);
      throw payloadTooLarge(maxBytes);
    }
    return this.adopt(userId, sanitizeFilename(filename), written);
  }

  async list(userId: string, input: RawPageInput): Promise<PageResult<FileInfo>> {
    const page = normalizePage(input);
    const { list, total } = await this.repos.files.listFiles(userId, page.offset, page.pageSize);
    return pageResult(list.map(toFileInfo), page, total);
  }

  /** The record and blob path of a file id; anyone holding the unguessable id may read it. */
  async open(id: string): Promise<{ file: FileRecord; path: string }> {
    const file = await this.repos.files.findFile(id);
    const blob = file && (await this.repos.files.findBlob(file.sha256));
    if (!file || !blob) throw notFound('File');
    return { file, path: this.blobs.blobPath(blob.storageName) };
  }

  // ------------------------------------------------------------ chunked, resumable

  async createChunked(userId: string, request: ChunkedUploadCreate): Promise<ChunkedUploadSession> {
    const spec = {
      filename: sanitizeFilename(request.filename),
      size: request.size,
      sha256: request.sha256.toLowerCase(),
      chunkSize: request.chunkSize,
    };
    const existing = await this.repos.uploads.findResumable(userId, spec);
    if (existing) return this.view(existing);
    const session: UploadSessionRecord = {
      id: newUploadId(),
      userId,
      ...spec,
      totalChunks: Math.ceil(spec.size / spec.chunkSize),
      fileId: null,
      createdAt: this.clock.now(),
    };
    await this.repos.uploads.create(session);
    return this.view(session);
  }

  async getChunked(userId: string, uploadId: string): Promise<ChunkedUploadSession> {
    return this.view(await this.ownSession(userId, uploadId));
  }

  async putChunk(
    userId: string,
    uploadId: string,
    index: number,
    bytes: Buffer,
  ): Promise<ChunkReceipt> {
    const session = await this.ownSession(userId, uploadId);
    if (index >= session.totalChunks) {
      throw new AppError('BAD_REQUEST', `index must be below ${session.totalChunks}`);
    }
    const expected =
      index === session.totalChunks - 1
        ? session.size - index * session.chunkSize
        : session.chunkSize;
    if (bytes.length !== expected) {
      throw new AppError(
        'BAD_REQUEST',
        `chunk ${index} must be ${expected} bytes, got ${bytes.length}`,
      );
    }
    this.events.onChunk?.(uploadId, index);
    if (session.fileId === null) {
      const folder = this.blobs.chunkFolder(uploadId);
      await fs.promises.mkdir(folder, { recursive: true });
      // Write then rename: a chunk file is either absent or whole, even if the process dies.
      const temp = `${this.blobs.chunkPath(uploadId, index)}.${BlobStore.randomName()}.part`;
      await fs.promises.writeFile(temp, bytes);
      await fs.promises.rename(temp, this.blobs.chunkPath(uploadId, index));
      await this.repos.uploads.recordChunk(uploadId, index, bytes.length);
    }
    return { index, received: await this.received(session) };
  }

  async completeChunked(userId: string, uploadId: string): Promise<FileInfo> {
    const session = await this.ownSession(userId, uploadId);
    if (session.fileId) {
      const done = await this.repos.files.findFile(session.fileId);
      if (done) return toFileInfo(done);
    }
    const received = new Set(await this.repos.uploads.receivedChunks(uploadId));
    const missing: number[] = [];
    for (let i = 0; i < session.totalChunks && missing.length < 20; i++) {
      if (!received.has(i)) missing.push(i);
    }
    if (missing.length) {
      throw new AppError('CONFLICT', `missing chunks: ${missing.join(', ')}`);
    }
    const sources: Readable[] = [];
    for (let i = 0; i < session.totalChunks; i++) {
      sources.push(fs.createReadStream(this.blobs.chunkPath(uploadId, i)));
    }
    const written = await this.writeTemp(sources);
    if (written.size !== session.size || written.sha256 !== session.sha256) {
      await this.blobs.discard(written.path);
      // Some chunk is wrong and we cannot tell which: the client sends them all again.
      await this.repos.uploads.clearChunks(uploadId);
      throw new AppError(
        'VALIDATION_FAILED',
        written.size !== session.size
          ? `size mismatch: expected ${session.size} bytes, assembled ${written.size}`
          : 'SHA-256 mismatch: the assembled file differs from the declared sha256',
      );
    }
    const info = await this.adopt(userId, session.filename, written);
    await this.repos.uploads.complete(uploadId, info.id);
    await this.blobs.discard(this.blobs.chunkFolder(uploadId));
    return info;
  }

  // ------------------------------------------------------------ internals

  private async ownSession(userId: string, uploadId: string): Promise<UploadSessionRecord> {
    const session = await this.repos.uploads.find(uploadId);
    if (!session || session.userId !== userId) throw notFound('Upload session');
    return session;
  }

  private async received(session: UploadSessionRecord): Promise<number[]> {
    if (session.fileId !== null) return Array.from({ length: session.totalChunks }, (_, i) => i);
    return this.repos.uploads.receivedChunks(session.id);
  }

  private async view(session: UploadSessionRecord): Promise<ChunkedUploadSession> {
    const view: ChunkedUploadSession = {
      uploadId: session.id,
      chunkSize: session.chunkSize,
      totalChunks: session.totalChunks,
      received: await this.received(session),
    };
    if (session.fileId) {
      const file = await this.repos.files.findFile(session.fileId);
      if (file) view.file = toFileInfo(file);
    }
    return view;
  }

  private async writeTemp(sources: Readable[]): Promise<Written> {
    const target = this.blobs.incomingPath();
    const measure = {
      size: 0,
      hash: crypto.createHash('sha256'),
      head: [] as Buffer[],
      headBytes: 0,
    };
    const out = fs.createWriteStream(target);
    try {
      await pipeline(
        async function* () {
          for (const source of sources) yield* source;
        },
        measuring(measure),
        out,
      );
    } catch (error) {
      for (const source of sources) source.destroy();
      await this.blobs.discard(target);
      throw error;
    }
    return {
      path: target,
      size: measure.size,
      sha256: measure.hash.digest('hex'),
      head: Buffer.concat(measure.head),
    };
  }

  /** Type check by magic bytes, then de-duplicate: per user by hash, and one blob per hash. */
  private async adopt(userId: string, filename: string, written: Written): Promise<FileInfo> {
    const mime = sniffImageType(written.head);
    if (!mime) {
      await this.blobs.discard(written.path);
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Only JPEG, PNG, WebP and GIF images are accepted (checked by content)',
      );
    }
    const mine = await this.repos.files.findUserFileBySha(userId, written.sha256);
    if (mine) {
      await this.blobs.discard(written.path);
      return toFileInfo(mine);
    }
    const blob = await this.repos.files.findBlob(written.sha256);
    if (blob) {
      await this.blobs.discard(written.path);
    } else {
      const storageName = await this.blobs.adopt(written.path);
      await this.repos.files.insertBlob({
        sha256: written.sha256,
        size: written.size,
        mime,
        storageName,
        createdAt: this.clock.now(),
      });
      const stored = await this.repos.files.findBlob(written.sha256);
      // Lost a race with an identical upload: keep theirs, drop ours.
      if (stored && stored.storageName !== storageName) {
        await this.blobs.discard(this.blobs.blobPath(storageName));
      }
    }
    const file: FileRecord = {
      id: newFileId(),
      userId,
      sha256: written.sha256,
      filename,
      mime,
      size: written.size,
      createdAt: this.clock.now(),
    };
    try {
      await this.repos.files.insertFile(file);
    } catch (error) {
      const raced = await this.repos.files.findUserFileBySha(userId, written.sha256);
      if (raced) return toFileInfo(raced);
      throw error;
    }
    return toFileInfo(file);
  }
}

function payloadTooLarge(maxBytes: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `File exceeds the ${maxBytes}-byte limit`);
}

function isFileTooLarge(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';
}
