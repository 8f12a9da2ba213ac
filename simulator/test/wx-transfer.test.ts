import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import {
  GALLERY,
  type Harness,
  makeWx,
  settle,
  type Task,
  viaCallbacks,
  waitFor,
} from './fixtures/wx/harness';

interface Uploaded {
  fields: Record<string, string>;
  file: { field: string; filename: string; mimetype: string; bytes: Buffer } | null;
  contentType: string;
}

let app: FastifyInstance;
let base: string;
let h: Harness;
const uploads: Uploaded[] = [];
const bigPayload = Buffer.alloc(300 * 1024, 7);

beforeAll(async () => {
  app = Fastify();
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024 } });
  app.post('/upload', async (req, reply) => {
    const record: Uploaded = {
      fields: {},
      file: null,
      contentType: String(req.headers['content-type']),
    };
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        record.file = {
          field: part.fieldname,
          filename: part.filename,
          mimetype: part.mimetype,
          bytes: await part.toBuffer(),
        };
      } else {
        record.fields[part.fieldname] = String(part.value);
      }
    }
    uploads.push(record);
    return reply.code(201).send({ stored: record.file?.bytes.length ?? 0 });
  });
  app.get('/files/big.bin', async (_req, reply) =>
    reply.header('Content-Type', 'application/octet-stream').send(bigPayload),
  );
  app.get('/files/photo', async (_req, reply) =>
    reply
      .header('Content-Type', 'image/png')
      .send(fs.readFileSync(path.join(GALLERY, 'b-shot.png'))),
  );
  app.get('/missing', async (_req, reply) => reply.code(404).send('nope'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(() => app.close());

beforeEach(() => {
  uploads.length = 0;
  h = makeWx();
});

afterEach(() => h.close());

async function chooseOne(): Promise<string> {
  h.instance.controls.setNextChoose({ files: ['a-photo.jpg'] });
  const { res } = await settle(h.wx.chooseImage, { count: 1 });
  return (res.tempFilePaths as string[])[0];
}

describe('wx.uploadFile', () => {
  test('sends real multipart (formData + file) parsed by @fastify/multipart, with progress', async () => {
    const filePath = await chooseOne();
    const progress: Array<Record<string, number>> = [];
    const { returned, settled } = viaCallbacks(h.wx.uploadFile, {
      url: `${base}/upload`,
      filePath,
      name: 'avatar',
      header: { 'X-Token': 't1' },
      formData: { user: 'u1', n: 5 },
    });
    (returned as Task).onProgressUpdate((e: Record<string, number>) => progress.push(e));
    const { ok, res } = await settled;
    expect(ok).toBe(true);
    expect(res.errMsg).toBe('uploadFile:ok');
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.data as string)).toEqual({ stored: 823 });
    const [upload] = uploads;
    expect(upload.fields).toEqual({ user: 'u1', n: '5' });
    expect(upload.file?.field).toBe('avatar');
    expect(upload.file?.mimetype).toBe('image/jpeg');
    expect(upload.file?.bytes.equals(fs.readFileSync(path.join(GALLERY, 'a-photo.jpg')))).toBe(
      true,
    );
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(progress.at(-1)).toMatchObject({ progress: 100 });
    expect(progress.at(-1)?.totalBytesSent).toBe(progress.at(-1)?.totalBytesExpectedToSend);
  });

  test('a large user file reports increasing progress', async () => {
    const fsm = h.wx.getFileSystemManager() as Record<string, (...a: unknown[]) => unknown>;
    fsm.writeFileSync('wxfile://usr/big.bin', new Uint8Array(bigPayload).buffer);
    const progress: number[] = [];
    const { returned, settled } = viaCallbacks(h.wx.uploadFile, {
      url: `${base}/upload`,
      filePath: 'wxfile://usr/big.bin',
      name: 'file',
    });
    (returned as Task).onProgressUpdate((e: { progress: number }) => progress.push(e.progress));
    expect((await settled).res.errMsg).toBe('uploadFile:ok');
    expect(progress.length).toBeGreaterThan(2);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(uploads[0].file?.bytes.length).toBe(bigPayload.length);
  });

  test('a missing file and an aborted upload fail with uploadFile:fail', async () => {
    const missing = await settle(h.wx.uploadFile, {
      url: `${base}/upload`,
      filePath: 'http://tmp/none.png',
      name: 'f',
    });
    expect(missing.res.errMsg).toBe('uploadFile:fail file not found: http://tmp/none.png');
    const filePath = await chooseOne();
    const { returned, settled } = viaCallbacks(h.wx.uploadFile, {
      url: `${base}/upload`,
      filePath,
      name: 'f',
    });
    (returned as Task).abort();
    expect((await settled).res.errMsg).toBe('uploadFile:fail abort');
  });
});

describe('wx.downloadFile', () => {
  test('writes the body to a temp path with progress', async () => {
    const progress: Array<Record<string, number>> = [];
    const { returned, settled } = viaCallbacks(h.wx.downloadFile, { url: `${base}/files/big.bin` });
    (returned as Task).onProgressUpdate((e: Record<string, number>) => progress.push(e));
    const { ok, res } = await settled;
    expect(ok).toBe(true);
    expect(res.errMsg).toBe('downloadFile:ok');
    expect(res.statusCode).toBe(200);
    expect(res.tempFilePath).toMatch(/^http:\/\/tmp\/wx[0-9a-f]+\.bin$/);
    const real = h.instance.controls.resolvePath(res.tempFilePath as string);
    expect(fs.readFileSync(real).equals(bigPayload)).toBe(true);
    expect(progress.at(-1)).toEqual({
      progress: 100,
      totalBytesWritten: bigPayload.length,
      totalBytesExpectedToWrite: bigPayload.length,
    });
    // the temp file is readable through the file system manager
    const fsm = h.wx.getFileSystemManager() as Record<string, (...a: unknown[]) => unknown>;
    expect((fsm.statSync(res.tempFilePath) as { size: number }).size).toBe(bigPayload.length);
  });

  test('names the file from content-type and honours filePath under USER_DATA_PATH', async () => {
    const temp = await settle(h.wx.downloadFile, { url: `${base}/files/photo` });
    expect(temp.res.tempFilePath).toMatch(/\.png$/);
    const saved = await settle(h.wx.downloadFile, {
      url: `${base}/files/photo`,
      filePath: 'wxfile://usr/p.png',
    });
    expect(saved.res).toMatchObject({ filePath: 'wxfile://usr/p.png', statusCode: 200 });
    const info = await settle(h.wx.getImageInfo, { src: 'wxfile://usr/p.png' });
    expect(info.res).toMatchObject({ width: 20, height: 10, type: 'png' });
  });

  test('getImageInfo downloads a network image to a temp file first', async () => {
    const info = await settle(h.wx.getImageInfo, { src: `${base}/files/photo` });
    expect(info.res).toMatchObject({
      errMsg: 'getImageInfo:ok',
      width: 20,
      height: 10,
      type: 'png',
    });
    expect(info.res.path).toMatch(/^http:\/\/tmp\/wx[0-9a-f]+\.png$/);
    const missing = await settle(h.wx.getImageInfo, { src: `${base}/missing` });
    expect(missing.res.errMsg).toBe('getImageInfo:fail download image fail, statusCode 404');
  });

  test('a 404 is a success with statusCode 404; offline fails', async () => {
    const notFound = await settle(h.wx.downloadFile, { url: `${base}/missing` });
    expect(notFound.res).toMatchObject({ errMsg: 'downloadFile:ok', statusCode: 404 });
    h.instance.controls.setNetwork({ online: false });
    const offline = await settle(h.wx.downloadFile, { url: `${base}/missing` });
    expect(offline.res.errMsg).toBe('downloadFile:fail net::ERR_INTERNET_DISCONNECTED');
  });

  test('download slots are shared with requests (10 in total)', async () => {
    const held: http.ServerResponse[] = [];
    let reachedTen!: () => void;
    const ten = new Promise<void>((resolve) => (reachedTen = resolve));
    const slow = http.createServer((_req, res) => {
      held.push(res);
      if (held.length === 10) reachedTen();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
    const calls = [
      ...Array.from({ length: 6 }, () => settle(h.wx.request, { url })),
      ...Array.from({ length: 5 }, () => settle(h.wx.downloadFile, { url })),
    ];
    await ten;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(held).toHaveLength(10);
    for (const res of held.splice(0)) res.end('x');
    await waitFor(() => held.length === 1);
    held[0].end('y');
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  });
});
