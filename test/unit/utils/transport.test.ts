import { CancelSource } from '../../../miniprogram/utils/cancel';
import {
  createWxRequestTransport,
  errorFromWxFail,
  toTransportResponse,
} from '../../../miniprogram/utils/transport';
import { createFakeWx } from '../fake-wx';

const request = (signal = new CancelSource().signal) => ({
  method: 'GET' as const,
  url: 'https://api.test/x',
  header: {},
  timeout: 1000,
  signal,
});

describe('wx.request transport', () => {
  it('resolves status, lower-cased headers, data and bytes', async () => {
    const fake = createFakeWx();
    fake.server.on('GET', '/x', { status: 201, data: 'hello', header: { ETag: '"a"' } });
    const transport = createWxRequestTransport(fake.wx);
    await expect(transport.send(request())).resolves.toEqual({
      status: 201,
      header: { etag: '"a"' },
      data: 'hello',
      bytes: 5,
    });
  });

  it('rejects at once when the signal already aborted, and maps wx failures', async () => {
    const fake = createFakeWx();
    const source = new CancelSource();
    source.cancel();
    await expect(
      createWxRequestTransport(fake.wx).send(request(source.signal)),
    ).rejects.toMatchObject({ kind: 'cancelled' });
    fake.network.set('none');
    await expect(createWxRequestTransport(fake.wx).send(request())).rejects.toMatchObject({
      kind: 'network',
    });
    expect(errorFromWxFail({ errMsg: 'request:fail abort' }).kind).toBe('cancelled');
    expect(errorFromWxFail({ errMsg: 'request:fail timeout' }).kind).toBe('timeout');
    expect(errorFromWxFail({ errMsg: 'request:fail interrupted' }).kind).toBe('network');
    expect(errorFromWxFail({} as { errMsg: string }).kind).toBe('network');
  });

  it('uses the global wx when none is injected, and explains when there is none', async () => {
    const fake = createFakeWx();
    fake.server.on('GET', '/x', { data: '' });
    const restore = fake.installGlobal();
    try {
      await expect(createWxRequestTransport().send(request())).resolves.toMatchObject({
        status: 200,
      });
    } finally {
      restore();
    }
    await expect(createWxRequestTransport().send(request())).rejects.toMatchObject({
      kind: 'network',
      message: expect.stringContaining('wx is not available'),
    });
  });

  it('settles when wx.request throws, and its timeout never fires afterwards', async () => {
    jest.useFakeTimers();
    try {
      const fake = createFakeWx();
      (fake.wx as { request: unknown }).request = () => {
        throw new Error('request:fail parameter error');
      };
      const sent = createWxRequestTransport(fake.wx).send(request());
      await expect(sent).rejects.toMatchObject({
        kind: 'network',
        message: 'request:fail parameter error',
      });
      // Before the fix the timer called abort() on a task that never existed and threw.
      expect(() => jest.advanceTimersByTime(5000)).not.toThrow();
    } finally {
      jest.useRealTimers();
    }
  });

  it('estimates bytes from Content-Length, strings, buffers and JSON', () => {
    const bytes = (data: unknown, header: Record<string, string> = {}): number =>
      toTransportResponse({ statusCode: 200, header, data }).bytes;
    expect(bytes({ a: 1 }, { 'Content-Length': '99' })).toBe(99);
    expect(bytes(new ArrayBuffer(7))).toBe(7);
    expect(bytes(undefined)).toBe(0);
    expect(bytes({ a: 1 })).toBe(7);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(bytes(cyclic)).toBe(0);
    const noHeader = { statusCode: 204, data: '' } as Parameters<typeof toTransportResponse>[0];
    expect(toTransportResponse(noHeader)).toEqual({ status: 204, header: {}, data: '', bytes: 0 });
  });
});
