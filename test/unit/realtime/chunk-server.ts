/**
 * An in-memory HttpLike that speaks the chunked upload contract like server/ does: the same
 * create body resumes the same session, chunks are stored by index (a repeat is accepted
 * idempotently but counted), `complete` verifies size and SHA-256. No jest or node APIs, so the
 * benchmark reuses it.
 */
import type { ChunkedUploadCreate, ChunkedUploadSession, FileInfo } from '../../../typings/api';
import type { HttpLike, HttpRequestOptions } from '../../../miniprogram/utils/contracts';
import { AppError } from '../../../miniprogram/utils/errors';
import { sha256Hex } from '../../../miniprogram/utils/sha256';

interface UploadState {
  id: string;
  spec: ChunkedUploadCreate;
  chunks: Map<number, Uint8Array>;
  file?: FileInfo;
}

export interface ChunkServer extends HttpLike {
  readonly uploads: Map<string, UploadState>;
  /** PUTs received per index of every upload (a value above 1 = a chunk sent again). */
  readonly putCounts: Map<string, number>;
  readonly calls: HttpRequestOptions[];
  /** Bytes of chunk bodies stored in total (repeats included). */
  bytesReceived: number;
  /** Bytes of chunk bodies that crossed the wire, including interrupted ones. */
  bytesOnWire: number;
  /** Throw a network error on the Nth PUT from now (1 = the next one). */
  failOnPut?: number;
  /** How that PUT fails: its body is lost mid-way (default), or it is stored and the reply lost. */
  failMode?: 'lost-body' | 'lost-reply';
  /** Make the next complete answer with this status. */
  failComplete?: number;
  /** Forget every upload (a server-side expiry). */
  expireAll(): void;
}

export function createChunkServer(): ChunkServer {
  const uploads = new Map<string, UploadState>();
  const putCounts = new Map<string, number>();
  const calls: HttpRequestOptions[] = [];
  let seq = 0;
  const session = (state: UploadState): ChunkedUploadSession => ({
    uploadId: state.id,
    chunkSize: state.spec.chunkSize,
    totalChunks: Math.ceil(state.spec.size / state.spec.chunkSize),
    received: [...state.chunks.keys()].sort((a, b) => a - b),
    ...(state.file ? { file: state.file } : {}),
  });
  const server: ChunkServer = {
    uploads,
    putCounts,
    calls,
    bytesReceived: 0,
    bytesOnWire: 0,
    expireAll() {
      uploads.clear();
    },
    async request<T>(options: HttpRequestOptions): Promise<T> {
      calls.push(options);
      await Promise.resolve();
      const url = options.url;
      if (options.method === 'POST' && url === '/api/uploads/chunked') {
        const spec = options.data as ChunkedUploadCreate;
        const key = `${spec.filename}|${spec.size}|${spec.sha256}|${spec.chunkSize}`;
        let state = [...uploads.values()].find(
          (u) => `${u.spec.filename}|${u.spec.size}|${u.spec.sha256}|${u.spec.chunkSize}` === key,
        );
        if (!state) {
          state = { id: `up${++seq}`, spec, chunks: new Map() };
          uploads.set(state.id, state);
        }
        return session(state) as T;
      }
      const put = /^\/api\/uploads\/chunked\/([^/]+)\/chunks\/(\d+)$/.exec(url);
      if (options.method === 'PUT' && put) {
        const body = new Uint8Array(options.data as ArrayBuffer);
        server.bytesOnWire += body.length;
        let loseReply = false;
        if (server.failOnPut !== undefined && --server.failOnPut === 0) {
          server.failOnPut = undefined;
          if (server.failMode !== 'lost-reply') {
            throw new AppError({ kind: 'network', message: 'request:fail interrupted' });
          }
          loseReply = true;
        }
        const state = uploads.get(put[1]);
        if (!state) throw new AppError({ kind: 'http', status: 404, message: 'no such upload' });
        if (options.header?.['Content-Type'] !== 'application/octet-stream') {
          throw new AppError({ kind: 'http', status: 415, message: 'octet-stream expected' });
        }
        const index = Number(put[2]);
        const bytes = new Uint8Array(options.data as ArrayBuffer);
        const countKey = `${state.id}#${index}`;
        putCounts.set(countKey, (putCounts.get(countKey) ?? 0) + 1);
        server.bytesReceived += bytes.length;
        state.chunks.set(index, bytes);
        if (loseReply) throw new AppError({ kind: 'network', message: 'request:fail interrupted' });
        return { index, received: session(state).received } as T;
      }
      const complete = /^\/api\/uploads\/chunked\/([^/]+)\/complete$/.exec(url);
      if (options.method === 'POST' && complete) {
        const state = uploads.get(complete[1]);
        if (!state) throw new AppError({ kind: 'http', status: 404, message: 'no such upload' });
        if (server.failComplete) {
          const status = server.failComplete;
          server.failComplete = undefined;
          throw new AppError({ kind: 'http', status, message: `HTTP ${status}` });
        }
        const total = Math.ceil(state.spec.size / state.spec.chunkSize);
        const whole = new Uint8Array(state.spec.size);
        for (let i = 0; i < total; i++) {
          const chunk = state.chunks.get(i);
          if (!chunk)
            throw new AppError({ kind: 'http', status: 409, message: `chunk ${i} missing` });
          whole.set(chunk, i * state.spec.chunkSize);
        }
        const sha256 = sha256Hex(whole);
        if (sha256 !== state.spec.sha256) {
          throw new AppError({
            kind: 'http',
            status: 422,
            code: 'VALIDATION_FAILED',
            message: 'sha256 mismatch',
          });
        }
        state.file = {
          id: `file-${state.id}`,
          filename: state.spec.filename,
          mime: 'application/octet-stream',
          size: state.spec.size,
          sha256,
          url: `/files/file-${state.id}`,
          createdAt: 1,
        };
        return state.file as T;
      }
      throw new AppError({
        kind: 'http',
        status: 404,
        message: `no route ${options.method} ${url}`,
      });
    },
  };
  return server;
}
