import { UploadsAdapter, resumableName } from '../../../miniprogram/services/uploads-adapter';
import type {
  UploadQueueLike,
  ResumableUpload,
} from '../../../miniprogram/services/uploads-adapter';
import type { UploadItemView } from '../../../miniprogram/services/ports';
import type { FileInfo } from '../../../typings/api';
import type { CancelSignal } from '../../../miniprogram/utils/cancel';

type Job = ReturnType<UploadQueueLike['snapshot']>['files'][number];

function fakeQueue() {
  const jobs: Job[] = [];
  const listeners = new Set<() => void>();
  const cancelled: string[] = [];
  const queue: UploadQueueLike = {
    add(input) {
      const id = `j${jobs.length + 1}`;
      jobs.push({ id, state: 'queued', percent: 0 });
      void input;
      return { id, promise: new Promise<FileInfo>(() => undefined) };
    },
    cancel(id) {
      cancelled.push(id);
    },
    snapshot: () => ({ files: jobs.map((job) => ({ ...job })) }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    queue,
    jobs,
    cancelled,
    update(id: string, change: Partial<Job>) {
      Object.assign(
        jobs.find((job) => job.id === id)!,
        change,
      );
      listeners.forEach((listener) => listener());
    },
  };
}

const file = { id: 'f1' } as FileInfo;

describe('UploadsAdapter', () => {
  it('shows queue progress per row and keeps the row id across a retry', () => {
    const fake = fakeQueue();
    const uploads = new UploadsAdapter({ queue: fake.queue, resumableThresholdBytes: 1000 });
    const seen: UploadItemView[][] = [];
    uploads.subscribe((items) => seen.push(items));
    uploads.add([{ path: 'wxfile://tmp/a.png', size: 10 }]);
    const rowId = uploads.list()[0].id;
    expect(uploads.list()[0]).toMatchObject({
      name: 'a.png',
      state: 'queued',
      progress: 0,
      resumable: false,
    });

    fake.update('j1', { state: 'uploading', percent: 40 });
    expect(seen[seen.length - 1][0]).toMatchObject({ id: rowId, state: 'uploading', progress: 40 });
    fake.update('j1', {
      state: 'failed',
      percent: 40,
      error: { message: 'x', userMessage: 'Network down' },
    });
    expect(uploads.list()[0]).toMatchObject({ state: 'failed', error: 'Network down' });

    uploads.retry(rowId);
    expect(fake.jobs).toHaveLength(2);
    expect(uploads.list()[0]).toMatchObject({ id: rowId, state: 'queued' });
    fake.update('j2', { state: 'done', percent: 100, result: file });
    expect(uploads.list()[0]).toMatchObject({ id: rowId, state: 'done', progress: 100, file });
  });

  it('cancels through the queue and ignores retry of a running row', () => {
    const fake = fakeQueue();
    const uploads = new UploadsAdapter({ queue: fake.queue, resumableThresholdBytes: 1000 });
    uploads.add([{ path: 'a', size: 1 }]);
    const id = uploads.list()[0].id;
    uploads.retry(id);
    expect(fake.jobs).toHaveLength(1);
    uploads.cancel(id);
    expect(fake.cancelled).toEqual(['j1']);
    uploads.cancel('nope');
    uploads.retry('nope');
  });

  it('sends large files through the resumable upload with progress and cancel', async () => {
    const fake = fakeQueue();
    let signal: CancelSignal | undefined;
    let progress: ((percent: number) => void) | undefined;
    let finish: ((info: FileInfo) => void) | undefined;
    let fail: ((error: unknown) => void) | undefined;
    const resumable: ResumableUpload = (_file, onProgress, cancelSignal) => {
      signal = cancelSignal;
      progress = onProgress;
      return new Promise<FileInfo>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
    };
    const uploads = new UploadsAdapter({
      queue: fake.queue,
      resumableThresholdBytes: 1000,
      resumable,
      describeError: () => 'plain words',
    });
    uploads.add([{ path: 'http://tmp/3f9a.PNG', size: 5000 }]);
    expect(fake.jobs).toHaveLength(0);
    // Named by what survives a re-choose after a restart, so the server resumes the session.
    expect(uploads.list()[0].name).toBe('photo-5000.png');
    const id = uploads.list()[0].id;
    expect(uploads.list()[0]).toMatchObject({ resumable: true, state: 'uploading' });
    progress!(55);
    expect(uploads.list()[0].progress).toBe(55);
    uploads.cancel(id);
    expect(signal!.aborted).toBe(true);
    fail!(new Error('aborted'));
    await Promise.resolve();
    expect(uploads.list()[0].state).toBe('cancelled');

    uploads.retry(id);
    fail!(new Error('boom'));
    await Promise.resolve();
    expect(uploads.list()[0]).toMatchObject({ state: 'failed', error: 'plain words' });
    uploads.retry(id);
    finish!(file);
    await Promise.resolve();
    expect(uploads.list()[0]).toMatchObject({ state: 'done', progress: 100, file });
  });
});

describe('resumableName', () => {
  it('is the same for the same photo chosen twice (new temp names) and differs by size', () => {
    expect(resumableName({ path: 'http://tmp/a1.jpg', size: 10 })).toBe(
      resumableName({ path: 'wxfile://tmp_b2.jpg', size: 10 }),
    );
    expect(resumableName({ path: 'x.jpg', size: 11 })).not.toBe(
      resumableName({ path: 'x.jpg', size: 10 }),
    );
    expect(resumableName({ path: 'noext', size: 1 })).toBe('photo-1.bin');
  });
});
