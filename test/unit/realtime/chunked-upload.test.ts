import { CancelSource } from '../../../miniprogram/utils/cancel';
import { ChunkedUploader, MIN_CHUNK_SIZE } from '../../../miniprogram/utils/chunked-upload';
import type { ChunkedUploadProgress } from '../../../miniprogram/utils/chunked-upload';
import { sha256Hex } from '../../../miniprogram/utils/sha256';
import type { FileWx } from '../../../miniprogram/utils/wx-ports';
import { wxStorage } from '../../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../fake-wx';
import { createFilesFamily } from '../fake-wx/files';
import { createChunkServer } from './chunk-server';

const CHUNK = MIN_CHUNK_SIZE; // 64 KB
const PATH = 'wxfile://usr/video.mp4';

function setup(size = CHUNK * 5 + 1000) {
  const fake = createFakeWx();
  const files = fake.extend('files', createFilesFamily(fake.context));
  const bytes = files.addFile(PATH, size);
  const server = createChunkServer();
  const wx = fake.wx as unknown as FileWx;
  const storage = wxStorage(fake.wx);
  const make = () => new ChunkedUploader({ http: server, wx, storage, chunkSize: CHUNK });
  return { fake, files, bytes, server, wx, storage, make };
}

describe('ChunkedUploader', () => {
  it('hashes the file in slices, creates the session, PUTs every chunk as octet-stream and completes', async () => {
    const t = setup();
    const progress: ChunkedUploadProgress[] = [];
    const file = await t
      .make()
      .upload(PATH, { filename: 'clip.mp4', onProgress: (p) => progress.push(p) });
    expect(file).toMatchObject({
      filename: 'clip.mp4',
      size: t.bytes.length,
      sha256: sha256Hex(t.bytes),
    });
    const create = t.server.calls[0];
    expect(create).toMatchObject({
      method: 'POST',
      url: '/api/uploads/chunked',
      data: {
        filename: 'clip.mp4',
        size: t.bytes.length,
        sha256: sha256Hex(t.bytes),
        chunkSize: CHUNK,
      },
    });
    const puts = t.server.calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => c.url)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `/api/uploads/chunked/up1/chunks/${i}`),
    );
    expect(puts.every((c) => c.data instanceof ArrayBuffer)).toBe(true);
    expect(t.server.calls[t.server.calls.length - 1].url).toBe('/api/uploads/chunked/up1/complete');
    // Never reads the whole file at once.
    expect(Math.max(...t.files.reads.map((r) => r.length))).toBeLessThanOrEqual(CHUNK);
    expect(progress[0].phase).toBe('hashing');
    expect(progress.filter((p) => p.phase === 'uploading').map((p) => p.chunksSent)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(progress[progress.length - 1]).toMatchObject({
      phase: 'completing',
      loaded: t.bytes.length,
    });
    // The manifest is gone once complete.
    const keys = [...t.fake.storage.raw.keys()];
    expect(keys.filter((k) => k.startsWith('upload.chunked:file:'))).toEqual([]);
    expect(t.make().unfinished()).toEqual([]);
  });

  it('resumes after an interruption and an app restart without re-sending chunks the server has', async () => {
    const t = setup();
    t.server.failOnPut = 4; // chunks 0..2 arrive, the 4th PUT dies
    await expect(t.make().upload(PATH)).rejects.toMatchObject({ kind: 'network' });
    const manifest = t.make().manifest(PATH);
    expect(manifest).toMatchObject({
      uploadId: 'up1',
      sent: [0, 1, 2],
      sha256: sha256Hex(t.bytes),
    });
    // After a restart the app finds what to resume.
    expect(t.make().unfinished()).toEqual([
      { filePath: PATH, filename: 'video.mp4', size: t.bytes.length, chunksSent: 3 },
    ]);

    // "Restart": a new uploader over the same storage and files.
    const readsBefore = t.files.reads.length;
    const resumed = t.make();
    const progress: ChunkedUploadProgress[] = [];
    const file = await resumed.upload(PATH, { onProgress: (p) => progress.push(p) });
    expect(file.sha256).toBe(sha256Hex(t.bytes));
    expect([...t.server.putCounts.values()].every((count) => count === 1)).toBe(true);
    expect(resumed.bytesSent).toBe(t.bytes.length - 3 * CHUNK);
    // No re-hashing on resume: only the missing chunks were read.
    expect(t.files.reads.length - readsBefore).toBe(3);
    expect(progress.some((p) => p.phase === 'hashing')).toBe(false);
    expect(progress[0]).toMatchObject({ chunksSkipped: 3, chunksSent: 1 });
  });

  it('trusts the server: chunks it lost are sent again, chunks it has are skipped', async () => {
    const t = setup();
    t.server.failOnPut = 3;
    await expect(t.make().upload(PATH)).rejects.toBeDefined();
    t.server.uploads.get('up1')?.chunks.delete(0); // the server lost chunk 0
    t.server.uploads.get('up1')?.chunks.set(4, t.bytes.slice(4 * CHUNK, 5 * CHUNK)); // and got 4 elsewhere
    await t.make().upload(PATH);
    expect(t.server.putCounts.get('up1#0')).toBe(2);
    expect(t.server.putCounts.get('up1#1')).toBe(1);
    expect(t.server.putCounts.has('up1#4')).toBe(false);
  });

  it('returns the stored file at once when the server already completed it', async () => {
    const t = setup();
    const first = await t.make().upload(PATH);
    const putsBefore = t.server.calls.length;
    const again = await t.make().upload(PATH);
    expect(again).toEqual(first);
    expect(t.server.calls.length - putsBefore).toBe(1); // only the create
  });

  it('starts over when the server forgot the upload or refuses to complete it', async () => {
    const t = setup();
    t.server.failOnPut = 2;
    await expect(t.make().upload(PATH)).rejects.toBeDefined();
    t.server.expireAll();
    // The create makes a new session; the manifest's old id is replaced.
    await expect(t.make().upload(PATH)).resolves.toMatchObject({ size: t.bytes.length });

    const u = setup();
    u.server.failComplete = 409;
    await expect(u.make().upload(PATH)).rejects.toMatchObject({ status: 409 });
    expect(u.make().manifest(PATH)).toBeUndefined();
    u.server.failComplete = 503;
    await expect(u.make().upload(PATH)).rejects.toMatchObject({ status: 503 });
    expect(u.make().manifest(PATH)).toBeDefined(); // transient: resumable

    const v = setup();
    v.server.failOnPut = 2;
    await expect(v.make().upload(PATH)).rejects.toBeDefined();
    const uploads = v.server.uploads;
    const state = uploads.get('up1');
    uploads.clear();
    // A PUT for an upload the server lost → 404 → manifest dropped.
    const http = {
      request: <T>(options: Parameters<typeof v.server.request>[0]) =>
        options.method === 'POST' && options.url === '/api/uploads/chunked'
          ? Promise.resolve({
              uploadId: 'gone',
              chunkSize: CHUNK,
              totalChunks: 6,
              received: [],
            } as T)
          : v.server.request<T>(options),
    };
    const lost = new ChunkedUploader({ http, wx: v.wx, storage: v.storage, chunkSize: CHUNK });
    await expect(lost.upload(PATH)).rejects.toMatchObject({ status: 404 });
    expect(lost.manifest(PATH)).toBeUndefined();
    expect(state).toBeDefined();
  });

  it('hashes again when the file at the path changed size', async () => {
    const t = setup();
    t.server.failOnPut = 2;
    await expect(t.make().upload(PATH)).rejects.toBeDefined();
    const changed = t.files.addFile(PATH, CHUNK * 2);
    const file = await t.make().upload(PATH);
    expect(file.sha256).toBe(sha256Hex(changed));
  });

  it('validates input and honours cancellation', async () => {
    const t = setup();
    const uploader = t.make();
    await expect(uploader.upload('')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(uploader.upload('wxfile://missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    t.files.addFile('wxfile://empty', 0);
    await expect(uploader.upload('wxfile://empty')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const source = new CancelSource();
    source.cancel();
    await expect(uploader.upload(PATH, { signal: source.signal })).rejects.toMatchObject({
      kind: 'cancelled',
    });

    const midway = new CancelSource();
    const cancelled = uploader.upload(PATH, {
      signal: midway.signal,
      onProgress: (p) => {
        if (p.phase === 'uploading' && p.chunksSent === 2) midway.cancel();
      },
    });
    await expect(cancelled).rejects.toMatchObject({ kind: 'cancelled' });
    expect(uploader.manifest(PATH)?.sent).toEqual([0, 1]);
  });

  it('clamps the chunk size and ignores a corrupt manifest', async () => {
    const t = setup();
    t.fake.storage.corrupt(`upload.chunked:file:${PATH}`, '{"filePath":1}');
    t.fake.storage.corrupt('upload.chunked:index', `["${PATH}", 7]`);
    expect(t.make().unfinished()).toEqual([]);
    const tiny = new ChunkedUploader({
      http: t.server,
      wx: t.wx,
      storage: t.storage,
      chunkSize: 10,
    });
    await tiny.upload(PATH);
    expect((t.server.calls[0].data as { chunkSize: number }).chunkSize).toBe(CHUNK);
    const huge = new ChunkedUploader({
      http: t.server,
      wx: t.wx,
      storage: t.storage,
      chunkSize: 1e9,
    });
    expect((huge as unknown as { chunkSize: number }).chunkSize).toBe(8 * 1024 * 1024);
  });

  it('fails clearly when the file shrinks while uploading', async () => {
    const t = setup();
    const uploader = t.make();
    const pending = uploader.upload(PATH, {
      onProgress: (p) => {
        if (p.phase === 'uploading' && p.chunksSent === 1)
          t.files.files.set(PATH, t.bytes.slice(0, CHUNK + 10));
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'FILE_CHANGED' });
  });
});
