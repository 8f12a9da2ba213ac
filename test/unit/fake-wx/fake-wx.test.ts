import { createFakeWx, KEY_LIMIT_BYTES } from './index';

function call(
  fake: ReturnType<typeof createFakeWx>,
  option: Partial<WechatMiniprogram.RequestOption>,
) {
  return new Promise<{ ok: boolean; result: unknown; task: WechatMiniprogram.RequestTask }>(
    (resolve) => {
      const task = fake.wx.request({
        url: 'https://api.test/x',
        ...option,
        success: (result) => resolve({ ok: true, result, task }),
        fail: (result) => resolve({ ok: false, result, task }),
      } as WechatMiniprogram.RequestOption);
    },
  );
}

describe('fake wx core', () => {
  it('routes requests with params and query, and records them', async () => {
    const fake = createFakeWx();
    fake.server.ok('GET', '/api/products/:id', { id: 'p1' }, { header: { ETag: '"v1"' } });
    const reply = await call(fake, { url: 'https://api.test/api/products/p1?a=1' });
    expect(reply.ok).toBe(true);
    expect(reply.result).toMatchObject({ statusCode: 200, header: { ETag: '"v1"' } });
    expect(fake.server.log[0]).toMatchObject({
      path: '/api/products/p1',
      params: { id: 'p1' },
      query: { a: '1' },
    });
  });

  it('replies 404 for unknown routes and fails offline', async () => {
    const fake = createFakeWx();
    expect((await call(fake, {})).result).toMatchObject({ statusCode: 404 });
    fake.network.set('none');
    expect((await call(fake, {})).result).toMatchObject({
      errMsg: expect.stringContaining('request:fail'),
    });
  });

  it('aborts and times out under fake timers', async () => {
    jest.useFakeTimers();
    try {
      const fake = createFakeWx();
      fake.server.on('GET', '/x', { hang: true });
      const pending = call(fake, { timeout: 100 });
      await jest.advanceTimersByTimeAsync(100);
      expect((await pending).result).toEqual({ errMsg: 'request:fail timeout' });
      fake.server.on('GET', '/x', { latency: 50, data: 'late' });
      let task: WechatMiniprogram.RequestTask | undefined;
      const aborted = new Promise((resolve) => {
        task = fake.wx.request({ url: 'https://api.test/x', fail: resolve });
      });
      task?.abort();
      expect(await aborted).toEqual({ errMsg: 'request:fail abort' });
      expect(fake.server.inFlight).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('enforces the storage limits with wx errMsg texts', () => {
    const fake = createFakeWx();
    expect(() => fake.wx.setStorageSync('big', 'x'.repeat(KEY_LIMIT_BYTES))).toThrow(/1MB/);
    for (let i = 0; i < 10; i++) fake.wx.setStorageSync(`k${i}`, 'x'.repeat(KEY_LIMIT_BYTES - 100));
    expect(() => fake.wx.setStorageSync('k10', 'x'.repeat(1000))).toThrow(
      'setStorageSync:fail exceed storage max size 10MB',
    );
    expect(fake.wx.getStorageSync('missing')).toBe('');
    fake.storage.corrupt('bad', '{not json');
    expect(fake.wx.getStorageSync('bad')).toBe('{not json');
    expect(fake.wx.getStorageInfoSync().limitSize).toBe(10240);
  });

  it('records UI and answers modals as scripted', async () => {
    const fake = createFakeWx();
    fake.ui.modalAnswers.push('cancel');
    const answer = await new Promise((resolve) =>
      fake.wx.showModal({ title: 't', success: resolve }),
    );
    expect(answer).toMatchObject({ confirm: false, cancel: true });
    fake.wx.showToast({ title: 'hi' });
    fake.wx.showLoading({ title: '...' });
    expect(fake.ui.loadingVisible).toBe(true);
    expect(fake.ui.toasts).toEqual([{ title: 'hi', icon: undefined, duration: undefined }]);
  });

  it('counts logins, scripts failures and network events, and can be extended', async () => {
    const fake = createFakeWx();
    fake.auth.failNextLogins(1);
    const first = await new Promise((resolve) =>
      fake.wx.login({ fail: resolve, success: resolve }),
    );
    const second = await new Promise((resolve) =>
      fake.wx.login({ fail: resolve, success: resolve }),
    );
    expect(first).toMatchObject({ errMsg: expect.stringContaining('login:fail') });
    expect(second).toMatchObject({ code: 'dev-u1-1' });
    const events: boolean[] = [];
    fake.wx.onNetworkStatusChange((r) => events.push(r.isConnected));
    fake.network.set('none');
    expect(events).toEqual([false]);
    const control = fake.extend('vibrate', {
      apis: { vibrateShort: (() => undefined) as unknown as WechatMiniprogram.Wx['vibrateShort'] },
      control: { n: 1 },
    });
    expect(control.n).toBe(1);
    expect(typeof fake.wx.vibrateShort).toBe('function');
  });
});

describe('fake wx async storage and network type', () => {
  it('setStorage/getStorage/removeStorage/getStorageInfo answer by callback and by promise', async () => {
    const fake = createFakeWx();
    await fake.wx.setStorage({ key: 'a', data: { n: 1 } });
    const got = await new Promise((resolve) => fake.wx.getStorage({ key: 'a', success: resolve }));
    expect(got).toMatchObject({ data: { n: 1 } });
    const missing = await new Promise((resolve) =>
      fake.wx.getStorage({ key: 'zz', fail: resolve }),
    );
    expect(missing).toEqual({ errMsg: 'getStorage:fail data not found' });
    const tooBig = await new Promise((resolve) =>
      fake.wx.setStorage({ key: 'b', data: 'x'.repeat(1024 * 1024), fail: resolve }),
    );
    expect(tooBig).toEqual({ errMsg: 'setStorage:fail exceed storage item max length 1MB' });
    await fake.wx.removeStorage({ key: 'a' });
    expect((await fake.wx.getStorageInfo()).keys).toEqual([]);
    fake.wx.setStorageSync('c', 1);
    await fake.wx.clearStorage();
    expect(fake.storage.bytes()).toBe(0);
  });

  it('getNetworkType answers the controlled state', async () => {
    const fake = createFakeWx({ network: '3g' });
    expect((await fake.wx.getNetworkType()).networkType).toBe('3g');
    const viaCallback = await new Promise((resolve) =>
      fake.wx.getNetworkType({ success: resolve }),
    );
    expect(viaCallback).toMatchObject({ networkType: '3g' });
    const listener = jest.fn();
    fake.wx.onNetworkStatusChange(listener);
    fake.wx.offNetworkStatusChange(listener);
    fake.network.set('wifi');
    expect(listener).not.toHaveBeenCalled();
    expect(fake.network.listenerCount).toBe(0);
  });
});
