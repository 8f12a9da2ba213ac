import crypto from 'node:crypto';
import type { DevStats } from '../../typings/dev';
import type { ChunkReceipt, ChunkedUploadSession, FileInfo } from '../../typings/api';
import type { RunningServer } from '../../server/src/app';
import { PNG_1X1, bearer, call, login, request, running } from './helpers';

const CHUNK = 64 * 1024;
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
/** A PNG header followed by deterministic bytes: 3 full chunks and a short last one. */
const FILE = Buffer.concat([PNG_1X1, Buffer.alloc(3 * CHUNK + 1000 - PNG_1X1.length, 0x5a)]);

describe('chunked resumable uploads', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await running();
    auth = bearer((await login(server, 'chunker')).token);
  });
  afterAll(() => server.close());

  const create = (body: unknown, headers = auth) =>
    call<ChunkedUploadSession>(server, {
      method: 'POST',
      url: '/api/uploads/chunked',
      headers,
      payload: body,
    });
  const put = (uploadId: string, index: number, bytes: Buffer, headers = auth) =>
    call<ChunkReceipt>(server, {
      method: 'PUT',
      url: `/api/uploads/chunked/${uploadId}/chunks/${index}`,
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const complete = (uploadId: string, headers = auth) =>
    call<FileInfo>(server, {
      method: 'POST',
      url: `/api/uploads/chunked/${uploadId}/complete`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '',
    });
  const chunkOf = (file: Buffer, i: number) => file.subarray(i * CHUNK, (i + 1) * CHUNK);
  const spec = (file: Buffer, filename = 'big.png') => ({
    filename,
    size: file.length,
    sha256: sha256(file),
    chunkSize: CHUNK,
  });

  it('resumes: the same create returns the same session with the chunks already held', async () => {
    const first = await create(spec(FILE));
    expect(first.res.statusCode).toBe(200);
    const session = first.body.data!;
    expect(session).toMatchObject({ chunkSize: CHUNK, totalChunks: 4, received: [] });
    expect((await put(session.uploadId, 0, chunkOf(FILE, 0))).body.data).toEqual({
      index: 0,
      received: [0],
    });
    expect((await put(session.uploadId, 2, chunkOf(FILE, 2))).body.data!.received).toEqual([0, 2]);

    // "App restart": create again with the same body.
    const resumed = await create(spec(FILE));
    expect(resumed.body.data!.uploadId).toBe(session.uploadId);
    expect(resumed.body.data!.received).toEqual([0, 2]);
    const status = await call<ChunkedUploadSession>(server, {
      method: 'GET',
      url: `/api/uploads/chunked/${session.uploadId}`,
      headers: auth,
    });
    expect(status.body.data!.received).toEqual([0, 2]);

    const early = await complete(session.uploadId);
    expect(early.res.statusCode).toBe(409);
    expect(early.body.errorMessage).toMatch(/missing chunks: 1, 3/);

    // A chunk sent twice is accepted idempotently.
    expect((await put(session.uploadId, 2, chunkOf(FILE, 2))).res.statusCode).toBe(200);
    await put(session.uploadId, 1, chunkOf(FILE, 1));
    await put(session.uploadId, 3, chunkOf(FILE, 3));
    const done = await complete(session.uploadId);
    expect(done.res.statusCode).toBe(200);
    expect(done.body.data).toMatchObject({
      size: FILE.length,
      sha256: sha256(FILE),
      mime: 'image/png',
    });
    const bytes = await request(server, { method: 'GET', url: done.body.data!.url });
    expect(bytes.raw.equals(FILE)).toBe(true);

    // Completing again, or re-sending a chunk after completion, changes nothing.
    expect((await complete(session.uploadId)).body.data).toEqual(done.body.data);
    expect((await put(session.uploadId, 0, chunkOf(FILE, 0))).body.data!.received).toEqual([
      0, 1, 2, 3,
    ]);

    const stats = await call<DevStats>(server, { method: 'GET', url: '/__dev/stats' });
    expect(stats.body.data!.chunks[session.uploadId]).toEqual({ '0': 2, '1': 1, '2': 2, '3': 1 });
  });

  it('a SHA-256 mismatch → 422 and the chunks must be sent again', async () => {
    const other = Buffer.from(FILE);
    other[100] ^= 0xff;
    const { body } = await create({ ...spec(other, 'tampered.png'), sha256: sha256(FILE) });
    const id = body.data!.uploadId;
    for (let i = 0; i < 4; i++) await put(id, i, chunkOf(other, i));
    const result = await complete(id);
    expect(result.res.statusCode).toBe(422);
    expect(result.body.errorMessage).toMatch(/SHA-256 mismatch/);
    const after = await call<ChunkedUploadSession>(server, {
      method: 'GET',
      url: `/api/uploads/chunked/${id}`,
      headers: auth,
    });
    expect(after.body.data!.received).toEqual([]);
  });

  it('refuses a complete file that is not an image (415)', async () => {
    const text = Buffer.alloc(CHUNK + 10, 0x41);
    const { body } = await create(spec(text, 'notes.png'));
    await put(body.data!.uploadId, 0, chunkOf(text, 0));
    await put(body.data!.uploadId, 1, chunkOf(text, 1));
    const result = await complete(body.data!.uploadId);
    expect(result.res.statusCode).toBe(415);
  });

  it('checks chunk index and length', async () => {
    const { body } = await create(spec(FILE, 'checks.png'));
    const id = body.data!.uploadId;
    const wrongLength = await put(id, 0, Buffer.alloc(10));
    expect(wrongLength.res.statusCode).toBe(400);
    expect(wrongLength.body.errorMessage).toMatch(/chunk 0 must be 65536 bytes, got 10/);
    const outOfRange = await put(id, 4, Buffer.alloc(1000));
    expect(outOfRange.res.statusCode).toBe(400);
    const empty = await call(server, {
      method: 'PUT',
      url: `/api/uploads/chunked/${id}/chunks/0`,
      headers: { ...auth, 'content-type': 'application/octet-stream' },
    });
    expect(empty.res.statusCode).toBe(400);
    const tooBig = await put(id, 0, Buffer.alloc(8 * 1024 * 1024 + 1));
    expect(tooBig.res.statusCode).toBe(413);
  });

  it.each([
    ['size too large', { size: 100 * 1024 * 1024 + 1 }],
    ['chunk too small', { chunkSize: 1024 }],
    ['bad sha', { sha256: 'xyz' }],
    ['size as string', { size: '1000' }],
    ['missing filename', { filename: undefined }],
  ])('create refuses %s with 400', async (_name, change) => {
    const { res } = await create({ ...spec(FILE), ...change });
    expect(res.statusCode).toBe(400);
  });

  it('another user cannot see or feed my upload session (404)', async () => {
    const { body } = await create(spec(FILE, 'mine.png'));
    const other = bearer((await login(server, 'intruder')).token);
    expect((await put(body.data!.uploadId, 0, chunkOf(FILE, 0), other)).res.statusCode).toBe(404);
    expect((await complete(body.data!.uploadId, other)).res.statusCode).toBe(404);
  });
});
