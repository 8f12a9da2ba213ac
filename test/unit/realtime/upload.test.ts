import type { TaskScheduler } from '../../../miniprogram/utils/contracts';
import { CancelSource } from '../../../miniprogram/utils/cancel';
import { downloadFile } from '../../../miniprogram/utils/download';
import { Scheduler } from '../../../miniprogram/utils/scheduler';
import { UploadQueue } from '../../../miniprogram/utils/upload';
import type { UploadQueueOptions, UploadSnapshot } from '../../../miniprogram/utils/upload';
import type { FileWx, MediaWx } from '../../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../fake-wx';
import { createFilesFamily } from '../fake-wx/files';
import { createMediaFamily } from '../fake-wx/media';
import { createFakeSession, createTestScheduler } from './helpers';

function setup(overrides: Partial<UploadQueueOptions> = {}) {
  const fake = createFakeWx();
  const files = fake.extend('files', createFilesFamily(fake.context));
  const media = fake.extend('media', createMediaFamily(files));
  const scheduler = createTestScheduler();
  const session = createFakeSession();
  const wx = fake.wx as unknown as FileWx & MediaWx;
  const queue = new UploadQueue({
    baseURL: 'https://api.test',
    scheduler,
    session,
    wx,
    backoff: { baseMs: 100, capMs: 1000, random: () => 0.5 },
    ...overrides,
  });
  const snapshots: UploadSnapshot[] = [];
  queue.subscribe((snapshot) => snapshots.push(snapshot));
  return { fake, files, media, scheduler, session, wx, queue, snapshots };
}

const tick = (ms = 1) => jest.advanceTimersByTimeAsync(ms);
const envelope = (data: unknown) => JSON.stringify({ success: true, data, traceId: 't' });

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('UploadQueue', () => {
  it('uploads multipart to /api/uploads with the token and returns the FileInfo', async () => {
    const t = setup();
    t.files.addFile('http://tmp/a.jpg', 1000);
    t.files.uploadReplies.push({ statusCode: 200, data: envelope({ id: 'abc', size: 1000 }) });
    const handle = t.queue.add({ path: 'http://tmp/a.jpg', formData: { album: 'x' } });
    await tick();
    await expect(handle.promise).resolves.toEqual({ id: 'abc', size: 1000 });
    expect(t.files.transfers[0]).toMatchObject({
      url: 'https://api.test/api/uploads',
      name: 'file',
      filePath: 'http://tmp/a.jpg',
      header: { Authorization: 'Bearer tok-1' },
      formData: { album: 'x' },
    });
    expect(t.scheduler.log[0]).toMatchObject({ kind: 'upload' });
    const last = t.snapshots[t.snapshots.length - 1];
    expect(last).toMatchObject({ done: 1, loaded: 1000, total: 1000, percent: 100 });
    expect(last.files[0]).toMatchObject({ name: 'a.jpg', state: 'done', attempts: 1 });
  });

  it('reports per-file and aggregate progress', async () => {
    const t = setup();
    t.files.stepMs = 10;
    t.files.addFile('http://tmp/a', 1000);
    t.files.addFile('http://tmp/b', 3000);
    t.queue.addAll([{ path: 'http://tmp/a' }, { path: 'http://tmp/b' }]);
    expect(t.queue.snapshot()).toMatchObject({ total: 4000, loaded: 0, percent: 0 });
    await tick(20);
    const mid = t.queue.snapshot();
    expect(mid.files.map((f) => f.percent)).toEqual([50, 50]);
    expect(mid).toMatchObject({ loaded: 2000, total: 4000, percent: 50, active: 2 });
    await tick(20);
    expect(t.queue.snapshot()).toMatchObject({ percent: 100, done: 2, active: 0 });
    const percents = t.snapshots.map((s) => s.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b)); // never goes backwards
  });

  it('runs at most `concurrency` uploads at once (default 3)', async () => {
    const t = setup();
    t.files.stepMs = 10;
    for (let i = 0; i < 7; i++) t.files.addFile(`http://tmp/${i}`, 100);
    const handles = t.queue.addAll(
      Array.from({ length: 7 }, (_, i) => ({ path: `http://tmp/${i}` })),
    );
    await tick(1000);
    await Promise.all(handles.map((h) => h.promise));
    expect(t.files.maxRunning).toBe(3);
    const two = setup({ concurrency: 2 });
    two.files.stepMs = 10;
    for (let i = 0; i < 4; i++) two.files.addFile(`http://tmp/${i}`, 100);
    two.queue.addAll(Array.from({ length: 4 }, (_, i) => ({ path: `http://tmp/${i}` })));
    await tick(1000);
    expect(two.files.maxRunning).toBe(2);
  });

  it('uploads count against the real scheduler limit of 10 shared with requests', async () => {
    const t = setup({ scheduler: new Scheduler() as TaskScheduler, concurrency: 5 });
    const scheduler = new Scheduler();
    const queue = new UploadQueue({
      baseURL: 'https://api.test',
      scheduler,
      session: t.session,
      wx: t.wx,
      concurrency: 5,
    });
    t.files.stepMs = 10;
    const requests: Array<() => void> = [];
    const pendingRequests = Array.from({ length: 8 }, () =>
      scheduler.schedule(() => new Promise<void>((resolve) => requests.push(resolve)), {
        kind: 'request',
      }),
    );
    for (let i = 0; i < 5; i++) t.files.addFile(`http://tmp/${i}`, 100);
    const handles = queue.addAll(
      Array.from({ length: 5 }, (_, i) => ({ path: `http://tmp/${i}` })),
    );
    await tick(100);
    expect(t.files.maxRunning).toBe(2); // 8 requests + 2 uploads = 10
    expect(scheduler.maxObserved).toBe(10);
    requests.forEach((resolve) => resolve());
    await Promise.all(pendingRequests);
    await tick(1000);
    await Promise.all(handles.map((h) => h.promise));
    expect(scheduler.maxObserved).toBe(10);
  });

  it('cancels one file (aborting its task) and all files', async () => {
    const t = setup({ concurrency: 1 });
    t.files.stepMs = 10;
    for (const p of ['a', 'b', 'c', 'd']) t.files.addFile(`http://tmp/${p}`, 100);
    const [a, b, c, d] = t.queue.addAll(
      ['a', 'b', 'c', 'd'].map((p) => ({ path: `http://tmp/${p}` })),
    );
    await tick(15);
    a.cancel();
    b.cancel(); // still queued
    await expect(a.promise).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(b.promise).rejects.toMatchObject({ kind: 'cancelled' });
    expect(t.files.transfers[0].state).toBe('aborted');
    await tick(15);
    t.queue.cancelAll();
    await expect(c.promise).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(d.promise).rejects.toMatchObject({ kind: 'cancelled' });
    expect(t.files.transfers.map((r) => r.state)).toEqual(['aborted', 'aborted']);
    const snapshot = t.queue.snapshot();
    expect(snapshot.files.map((f) => f.state)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(snapshot.total).toBe(0); // cancelled files leave the aggregate
    t.queue.clearFinished();
    expect(t.queue.snapshot().files).toEqual([]);
  });

  it('retries a failed file with backoff and gives up after maxAttempts', async () => {
    const t = setup({ maxAttempts: 3 });
    t.files.addFile('http://tmp/a', 100);
    t.files.addFile('http://tmp/b', 100);
    t.files.uploadReplies.push(
      { fail: 'uploadFile:fail timeout' },
      { statusCode: 503, data: 'busy' },
    );
    const a = t.queue.add({ path: 'http://tmp/a' });
    await tick();
    expect(t.queue.snapshot().files[0]).toMatchObject({ state: 'retrying', attempts: 1 });
    await tick(50); // 0.5 * 100
    await tick(100); // 0.5 * 200
    await expect(a.promise).resolves.toMatchObject({ size: 100 });
    expect(t.files.transfers).toHaveLength(3);

    t.files.uploadReplies.push({ statusCode: 500 }, { statusCode: 502 }, { statusCode: 504 });
    const b = t.queue.add({ path: 'http://tmp/b' });
    const failed = expect(b.promise).rejects.toMatchObject({ kind: 'http', status: 504 });
    await tick(1000);
    await failed;
    expect(t.files.transfers).toHaveLength(6);
    expect(t.queue.snapshot()).toMatchObject({ failed: 1, done: 1 });
  });

  it('does not retry a 4xx or a business refusal; a 401 re-logs in and retries', async () => {
    const t = setup();
    t.files.addFile('http://tmp/a', 100);
    t.files.uploadReplies.push({
      statusCode: 413,
      data: JSON.stringify({
        success: false,
        errorCode: 'PAYLOAD_TOO_LARGE',
        errorMessage: 'too big',
        traceId: 't',
      }),
    });
    const tooBig = t.queue.add({ path: 'http://tmp/a' });
    await expect(tooBig.promise).rejects.toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      serverMessage: 'too big',
    });
    t.files.uploadReplies.push({
      statusCode: 200,
      data: JSON.stringify({ success: false, errorCode: 'UNSUPPORTED_MEDIA_TYPE', traceId: 't' }),
    });
    await expect(t.queue.add({ path: 'http://tmp/a' }).promise).rejects.toMatchObject({
      kind: 'business',
    });
    t.files.uploadReplies.push({ statusCode: 200, data: '<html>' });
    await expect(t.queue.add({ path: 'http://tmp/a' }).promise).rejects.toMatchObject({
      kind: 'parse',
    });
    expect(t.files.transfers).toHaveLength(3);

    t.files.uploadReplies.push({ statusCode: 401 });
    const relogin = t.queue.add({ path: 'http://tmp/a' });
    await tick(1000);
    await expect(relogin.promise).resolves.toMatchObject({ size: 100 });
    expect(t.session.invalidated).toEqual([1]);
    expect(t.files.transfers[4].header.Authorization).toBe('Bearer tok-2');
  });

  it('compresses images first with the configured quality, falling back when it fails', async () => {
    const t = setup({ compress: { quality: 50 } });
    t.files.addFile('http://tmp/big.jpg', 1000);
    await expect(t.queue.add({ path: 'http://tmp/big.jpg' }).promise).resolves.toMatchObject({
      size: 500,
    });
    expect(t.media.compressCalls).toEqual([{ src: 'http://tmp/big.jpg', quality: 50 }]);
    expect(t.files.transfers[0].filePath).toMatch(/compressed/);
    t.media.failNextCompress = 1;
    await expect(t.queue.add({ path: 'http://tmp/big.jpg' }).promise).resolves.toMatchObject({
      size: 1000,
    });
    await expect(
      t.queue.add({ path: 'http://tmp/big.jpg', compress: false }).promise,
    ).resolves.toMatchObject({ size: 1000 });
    expect(t.media.compressCalls).toHaveLength(2);
    const perFile = setup();
    perFile.files.addFile('http://tmp/x.jpg', 1000);
    await expect(
      perFile.queue.add({ path: 'http://tmp/x.jpg', compress: true }).promise,
    ).resolves.toMatchObject({ size: 800 });
  });

  it('a file cancelled during compression is not uploaded', async () => {
    const t = setup({ compress: { quality: 50 } });
    t.files.addFile('http://tmp/a.jpg', 1000);
    const handle = t.queue.add({ path: 'http://tmp/a.jpg' });
    handle.cancel();
    await expect(handle.promise).rejects.toMatchObject({ kind: 'cancelled' });
    await tick();
    expect(t.files.transfers).toEqual([]);
  });

  it('a file cancelled while waiting for its retry stops there', async () => {
    const t = setup();
    t.files.addFile('http://tmp/a', 100);
    t.files.uploadReplies.push({ fail: 'uploadFile:fail network' });
    const handle = t.queue.add({ path: 'http://tmp/a' });
    await tick();
    expect(t.queue.snapshot().files[0].state).toBe('retrying');
    handle.cancel();
    await expect(handle.promise).rejects.toMatchObject({ kind: 'cancelled' });
    await tick(10_000);
    expect(t.files.transfers).toHaveLength(1);
  });

  it('rejects bad input clearly and a missing file fails without retry loops', async () => {
    const t = setup({ maxAttempts: 2 });
    await expect(t.queue.add({ path: '' }).promise).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const missing = t.queue.add({ path: 'http://tmp/nope' });
    const failed = expect(missing.promise).rejects.toMatchObject({ kind: 'network' });
    await tick(1000);
    await failed;
    expect(t.files.transfers).toHaveLength(2);
    t.queue.dispose();
  });
});

describe('downloadFile', () => {
  it('downloads through the scheduler with progress and optional auth', async () => {
    jest.useRealTimers();
    const fake = createFakeWx();
    const files = fake.extend('files', createFilesFamily(fake.context));
    const scheduler = createTestScheduler();
    const session = createFakeSession();
    const progress: number[] = [];
    const result = await downloadFile('https://api.test/files/1', {
      scheduler,
      session,
      wx: fake.wx as unknown as FileWx,
      onProgress: (p) => progress.push(p.percent),
    });
    expect(files.files.get(result.tempFilePath)?.length).toBe(2048);
    expect(progress).toEqual([25, 50, 75, 100]);
    expect(scheduler.log[0]).toMatchObject({ kind: 'download' });
    expect(files.transfers[0].header).toEqual({ Authorization: 'Bearer tok-1' });

    await downloadFile('https://api.test/public', {
      scheduler,
      wx: fake.wx as unknown as FileWx,
      header: { X: '1' },
    });
    expect(files.transfers[1].header).toEqual({ X: '1' });
  });

  it('maps statuses, failures and cancellation to AppErrors', async () => {
    jest.useRealTimers();
    const fake = createFakeWx();
    const files = fake.extend('files', createFilesFamily(fake.context));
    const scheduler = createTestScheduler();
    const session = createFakeSession();
    const wx = fake.wx as unknown as FileWx;
    files.downloadReplies.push(
      { statusCode: 404 },
      { statusCode: 401 },
      { fail: 'downloadFile:fail timeout' },
      'hang',
    );
    await expect(downloadFile('https://api.test/a', { scheduler, wx })).rejects.toMatchObject({
      kind: 'http',
      status: 404,
    });
    await expect(
      downloadFile('https://api.test/a', { scheduler, wx, session }),
    ).rejects.toMatchObject({ kind: 'auth' });
    expect(session.invalidated).toEqual([1]);
    await expect(downloadFile('https://api.test/a', { scheduler, wx })).rejects.toMatchObject({
      kind: 'timeout',
    });
    const source = new CancelSource();
    const hanging = downloadFile('https://api.test/a', { scheduler, wx, signal: source.signal });
    await Promise.resolve();
    source.cancel();
    await expect(hanging).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(downloadFile('wxfile://x', { scheduler, wx })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    fake.network.set('none');
    await expect(downloadFile('https://api.test/a', { scheduler, wx })).rejects.toMatchObject({
      kind: 'network',
    });
  });
});
