import fs from 'node:fs';
import path from 'node:path';
import type { FileInfo, PageResult } from '../../typings/api';
import type { RunningServer } from '../../server/src/app';
import { PNG_1X1, bearer, call, login, multipart, request, running, tempDataDir } from './helpers';

describe('POST /api/uploads (multipart) and files', () => {
  let server: RunningServer;
  let auth: Record<string, string>;
  const dataDir = tempDataDir();

  beforeAll(async () => {
    server = await running({ dataDir, maxUploadBytes: 64 * 1024 });
    auth = bearer((await login(server, 'uploader')).token);
  });
  afterAll(() => server.close());

  const upload = (
    parts: Parameters<typeof multipart>[0],
    headers: Record<string, string> = auth,
  ) => {
    const form = multipart(parts);
    return call<FileInfo>(server, {
      method: 'POST',
      url: '/api/uploads',
      headers: { ...headers, ...form.headers },
      payload: form.payload,
    });
  };

  it('stores a PNG detected by content, whatever name and declared type', async () => {
    const { res, body } = await upload([
      { name: 'file', filename: 'photo.txt', contentType: 'text/plain', data: PNG_1X1 },
    ]);
    expect(res.statusCode).toBe(200);
    expect(body.data).toMatchObject({
      filename: 'photo.txt',
      mime: 'image/png',
      size: PNG_1X1.length,
    });
    expect(body.data!.id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const bytes = await request(server, { method: 'GET', url: body.data!.url });
    expect(bytes.statusCode).toBe(200);
    expect(bytes.headers['content-type']).toBe('image/png');
    expect(bytes.raw).toEqual(PNG_1X1);
    expect(bytes.headers.etag).toBe(`"${body.data!.sha256}"`);
    const again = await request(server, {
      method: 'GET',
      url: body.data!.url,
      headers: { 'if-none-match': bytes.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
  });

  it('de-duplicates by SHA-256: same user → same record; other user → own record, one blob', async () => {
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(30, 1)]);
    const a = await upload([{ name: 'file', filename: 'a.gif', data: gif }]);
    const b = await upload([{ name: 'file', filename: 'b.gif', data: gif }]);
    expect(b.body.data).toEqual(a.body.data);
    const other = bearer((await login(server, 'someone-else')).token);
    const c = await upload([{ name: 'file', filename: 'c.gif', data: gif }], other);
    expect(c.body.data!.id).not.toBe(a.body.data!.id);
    expect(c.body.data!.sha256).toBe(a.body.data!.sha256);
    const blobs = fs.readdirSync(path.join(dataDir, 'blobs'));
    const sizes = blobs.map((name) => fs.statSync(path.join(dataDir, 'blobs', name)).size);
    expect(sizes.filter((s) => s === gif.length)).toHaveLength(1);
  });

  it('refuses a fake image (a .png name with text content) with 415', async () => {
    const { res, body } = await upload([
      { name: 'file', filename: 'evil.png', contentType: 'image/png', data: 'hello, not an image' },
    ]);
    expect(res.statusCode).toBe(415);
    expect(body.errorCode).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(fs.readdirSync(path.join(dataDir, 'incoming'))).toEqual([]);
  });

  it('refuses a file over the size limit with 413 and leaves nothing behind', async () => {
    const big = Buffer.concat([PNG_1X1, Buffer.alloc(70 * 1024)]);
    const { res, body } = await upload([{ name: 'file', filename: 'big.png', data: big }]);
    expect(res.statusCode).toBe(413);
    expect(body.errorCode).toBe('PAYLOAD_TOO_LARGE');
    expect(fs.readdirSync(path.join(dataDir, 'incoming'))).toEqual([]);
  });

  it('sanitises path-traversal names and stores blobs under random names', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(40, 7)]);
    const { body } = await upload([{ name: 'file', filename: '../../etc/passwd.jpg', data: jpeg }]);
    expect(body.data!.filename).toBe('passwd.jpg');
    expect(body.data!.mime).toBe('image/jpeg');
    expect(fs.existsSync(path.join(dataDir, '..', 'etc'))).toBe(false);
    for (const name of fs.readdirSync(path.join(dataDir, 'blobs')))
      expect(name).toMatch(/^[0-9a-f]{32}$/);
    const win = await upload([
      { name: 'file', filename: '..\\..\\x.jpg', data: Buffer.concat([jpeg, Buffer.from([1])]) },
    ]);
    expect(win.body.data!.filename).toBe('x.jpg');
  });

  it('refuses non-multipart bodies (415), a missing file (400) and a wrong field (400)', async () => {
    const json = await call(server, {
      method: 'POST',
      url: '/api/uploads',
      headers: auth,
      payload: { a: 1 },
    });
    expect(json.res.statusCode).toBe(415);
    const noFile = await upload([{ name: 'note', data: 'just a field' }]);
    expect(noFile.res.statusCode).toBe(400);
    const wrongField = await upload([{ name: 'image', filename: 'x.png', data: PNG_1X1 }]);
    expect(wrongField.res.statusCode).toBe(400);
    expect(wrongField.body.errorMessage).toMatch(/"file"/);
  });

  it('needs a token to upload', async () => {
    const { res } = await upload([{ name: 'file', filename: 'x.png', data: PNG_1X1 }], {});
    expect(res.statusCode).toBe(401);
  });

  it("GET /api/files lists the user's files, newest first, paged", async () => {
    const { body } = await call<PageResult<FileInfo>>(server, {
      method: 'GET',
      url: '/api/files?pageSize=2',
      headers: auth,
    });
    expect(body.data!.pageSize).toBe(2);
    expect(body.data!.total).toBeGreaterThanOrEqual(3);
    expect(body.data!.list).toHaveLength(2);
    const bad = await call(server, {
      method: 'GET',
      url: '/api/files?pageSize=500',
      headers: auth,
    });
    expect(bad.res.statusCode).toBe(400);
  });

  it('GET /files/:id: unknown id 404, malformed id 400', async () => {
    const unknown = await call(server, { method: 'GET', url: `/files/${'A'.repeat(24)}` });
    expect(unknown.res.statusCode).toBe(404);
    const malformed = await call(server, { method: 'GET', url: '/files/..%2F..%2Fapp.db' });
    expect(malformed.res.statusCode).toBe(400);
  });
});
