/** Small contracts of the realtime helpers that the module tests do not reach on their own. */
import { backoffDelay } from '../../../miniprogram/utils/backoff';
import { CancelSource } from '../../../miniprogram/utils/cancel';
import { ChunkedUploader, MIN_CHUNK_SIZE } from '../../../miniprogram/utils/chunked-upload';
import { createClientId } from '../../../miniprogram/utils/client-id';
import { downloadFile } from '../../../miniprogram/utils/download';
import { ChatOutbox } from '../../../miniprogram/utils/socket-outbox';
import { SocketSlotRegistry } from '../../../miniprogram/utils/socket-slots';
import {
  fromStatus,
  fromWxFail,
  isRetryable,
  sleep,
} from '../../../miniprogram/utils/transfer-errors';
import { TokenBucket } from '../../../miniprogram/utils/token-bucket';
import { TypedEvents } from '../../../miniprogram/utils/typed-events';
import type { FileSystemLike, StorageWx } from '../../../miniprogram/utils/wx-ports';
import { callWx, globalWx, realTimers, wxStorage } from '../../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../fake-wx';
import { createFilesFamily } from '../fake-wx/files';
import { createChunkServer } from './chunk-server';
import { createTestScheduler, memoryStore } from './helpers';

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling, capped, with defaults', () => {
    expect(backoffDelay(0, { random: () => 0.999 })).toBe(499);
    expect(backoffDelay(3, { baseMs: 100, random: () => 0.5 })).toBe(400);
    expect(backoffDelay(100, { baseMs: 100, capMs: 5000, random: () => 0.999 })).toBe(4995);
    expect(backoffDelay(-3, { baseMs: 100, random: () => 0.999 })).toBe(99);
    const delay = backoffDelay(2);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(2000);
  });
});

describe('createClientId', () => {
  it('makes distinct, prefixed ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => createClientId()));
    expect(ids.size).toBe(1000);
    expect(createClientId('m', () => 0)).toMatch(/^m-[0-9a-z]+-[0-9a-z]+-0{32}$/);
  });
});

describe('TypedEvents', () => {
  it('off of an unknown listener or event is harmless; emit without listeners too', () => {
    const events = new TypedEvents<{ a: number; b: string }>();
    events.off('a', () => undefined);
    events.emit('b', 'nobody listens');
    const off = events.on('a', () => undefined);
    events.on('a', () => undefined);
    off();
    off();
    expect(events.size).toBe(1);
  });
});

describe('transfer errors', () => {
  it('classifies wx failures and statuses', () => {
    expect(fromWxFail({ errMsg: 'uploadFile:fail abort' }).kind).toBe('cancelled');
    expect(fromWxFail({ errMsg: 'request:fail timeout' }).kind).toBe('timeout');
    expect(fromWxFail('weird').kind).toBe('network');
    expect(fromStatus(401).kind).toBe('auth');
    expect(isRetryable(fromStatus(408))).toBe(true);
    expect(isRetryable(fromStatus(429))).toBe(true);
    expect(isRetryable(fromStatus(503))).toBe(true);
    expect(isRetryable(fromStatus(404))).toBe(false);
    expect(isRetryable(fromWxFail({ errMsg: 'x:fail cancel' }))).toBe(false);
  });

  it('sleep resolves, or rejects at once when already aborted', async () => {
    await expect(sleep(1, realTimers)).resolves.toBeUndefined();
    const source = new CancelSource();
    source.cancel();
    await expect(sleep(1000, realTimers, source.signal)).rejects.toMatchObject({
      kind: 'cancelled',
    });
  });
});

describe('wx ports', () => {
  it('wxStorage maps missing keys to undefined and never throws', () => {
    const throwing: StorageWx = {
      getStorageSync: () => {
        throw new Error('x');
      },
      setStorageSync: () => {
        throw new Error('full');
      },
      removeStorageSync: () => {
        throw new Error('x');
      },
    };
    const store = wxStorage(throwing);
    expect(store.get('k')).toBeUndefined();
    expect(() => store.set('k', 1)).not.toThrow();
    expect(() => store.remove('k')).not.toThrow();
    const fake = createFakeWx();
    const real = wxStorage(fake.wx);
    expect(real.get('missing')).toBeUndefined();
    real.set('k', { a: 1 });
    expect(real.get('k')).toEqual({ a: 1 });
    real.remove('k');
    expect(real.get('k')).toBeUndefined();
  });

  it('globalWx throws a clear error outside WeChat; callWx settles when the API throws', async () => {
    expect(() => globalWx()).toThrow(/wx is not available/);
    await expect(
      callWx(() => {
        throw new Error('sync throw');
      }),
    ).rejects.toThrow('sync throw');
  });
});

describe('SocketSlotRegistry', () => {
  it('releases idempotently and notifies waiters', () => {
    const slots = new SocketSlotRegistry(1);
    const release = slots.tryAcquire() as () => void;
    expect(slots.tryAcquire()).toBeUndefined();
    let notified = 0;
    const off = slots.onRelease(() => notified++);
    release();
    release();
    expect(notified).toBe(1);
    off();
    expect(slots.used).toBe(0);
  });
});

describe('ChatOutbox', () => {
  it('loads valid items, skips corrupt ones, and tolerates garbage', () => {
    const storage = memoryStore();
    storage.set('chat.outbox', {
      watermark: 'x',
      items: [
        { clientId: 'a', text: 'A', createdAt: 1, state: 'sending' },
        { clientId: 'b', text: 'B', createdAt: 2, state: 'failed', reason: 'expired' },
        { clientId: 3, text: 'C', createdAt: 3, state: 'queued' },
        { clientId: 'd', text: 'D', createdAt: 4, state: 'lost' },
        null,
      ],
    });
    const outbox = new ChatOutbox({ storage });
    expect(outbox.watermark).toBeUndefined();
    expect(outbox.all.map((i) => [i.clientId, i.state])).toEqual([
      ['a', 'queued'],
      ['b', 'failed'],
    ]);
    expect(outbox.update('nope', { state: 'failed' })).toBeUndefined();
    expect(outbox.remove('nope')).toBeUndefined();
    expect(outbox.expire(3)).toEqual([]);
    storage.set('chat.outbox', 'garbage');
    expect(new ChatOutbox({ storage }).all).toEqual([]);
    storage.set('chat.outbox', { watermark: 7 });
    const empty = new ChatOutbox({ storage });
    expect(empty.watermark).toBe(7);
    expect(empty.nextExpiry()).toBeUndefined();
    empty.watermark = 7; // unchanged: no write needed
    expect(empty.watermark).toBe(7);
  });
});

describe('download and chunked upload defaults', () => {
  it('use the global wx and wx storage when none is passed', async () => {
    const fake = createFakeWx();
    const files = fake.extend('files', createFilesFamily(fake.context));
    const restore = fake.installGlobal();
    try {
      files.addFile('wxfile://usr/a.bin', MIN_CHUNK_SIZE + 1);
      const uploader = new ChunkedUploader({ http: createChunkServer() });
      await expect(uploader.upload('wxfile://usr/a.bin')).resolves.toMatchObject({
        filename: 'a.bin',
      });
      const result = await downloadFile('https://api.test/x', { scheduler: createTestScheduler() });
      expect(files.files.has(result.tempFilePath)).toBe(true);
    } finally {
      restore();
    }
  });

  it('download progress without byte counts still reports the percentage', async () => {
    const wx = {
      downloadFile: (options: {
        success?: (r: { statusCode: number; tempFilePath: string }) => void;
      }) => {
        const listeners: Array<(u: { progress: number }) => void> = [];
        void Promise.resolve().then(() => {
          listeners.forEach((l) => l({ progress: 40 }));
          options.success?.({ statusCode: 200, tempFilePath: 'http://tmp/x' });
        });
        return {
          abort: () => undefined,
          onProgressUpdate: (l: (u: { progress: number }) => void) => listeners.push(l),
        };
      },
    };
    const seen: number[] = [];
    await downloadFile('https://api.test/x', {
      scheduler: createTestScheduler(),
      wx,
      onProgress: (p) => seen.push(p.percent, p.loaded, p.total),
    });
    expect(seen).toEqual([40, 0, 0]);
  });

  it('a chunked upload reading text instead of bytes fails clearly; the server chunk size wins', async () => {
    const fs: FileSystemLike = { statSync: () => ({ size: 10 }), readFileSync: () => 'text' };
    const uploader = new ChunkedUploader({
      http: createChunkServer(),
      wx: { getFileSystemManager: () => fs },
      storage: memoryStore(),
    });
    await expect(uploader.upload('wxfile://t')).rejects.toMatchObject({
      code: 'FILE_CHANGED',
      message: /read text/,
    });
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/perSecond', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 });
    expect(bucket.waitMs(0)).toBe(0);
    expect(bucket.take(0)).toBe(true);
    expect(bucket.take(0)).toBe(true);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.waitMs(0)).toBe(100);
    expect(bucket.waitMs(60)).toBe(40);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(10_000)).toBe(false); // never more than the burst
  });
});
