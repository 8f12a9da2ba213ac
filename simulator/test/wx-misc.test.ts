import { type Harness, makeWx, promised, settle, viaCallbacks } from './fixtures/wx/harness';

let h: Harness;
beforeEach(() => {
  h = makeWx({ userKey: 'alice' });
});
afterEach(() => h.close());

describe('callback and Promise semantics', () => {
  test('callbacks run asynchronously, complete after success; no Promise is returned', async () => {
    const order: string[] = [];
    const returned = h.wx.getSystemInfo({
      success: () => order.push('success'),
      complete: () => order.push('complete'),
    });
    order.push('after call');
    expect(returned).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['after call', 'success', 'complete']);
  });

  test('without callbacks a Promise resolves with the success result', async () => {
    const returned = h.wx.getSystemInfo();
    expect(returned).toBeInstanceOf(Promise);
    expect(await returned).toMatchObject({ errMsg: 'getSystemInfo:ok', platform: 'devtools' });
  });

  test('an exception in an app callback is reported, not swallowed and not thrown at wx', async () => {
    const { settled } = viaCallbacks(h.wx.getNetworkType);
    await settled;
    h.wx.getNetworkType({
      success: () => {
        throw new Error('app bug');
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.logs.some((l) => l.type === 'error' && String(l.args[1]).includes('app bug'))).toBe(
      true,
    );
  });
});

describe('login and session', () => {
  test('codes are dev-<userKey>-<nonce>; the key can change; checkSession follows', async () => {
    expect((await promised(h.wx.checkSession)).res.errMsg).toBe(
      'checkSession:fail session time out, need relogin',
    );
    const first = (await promised(h.wx.login)).res.code as string;
    expect(first).toMatch(/^dev-alice-[0-9a-f]{12}$/);
    expect((await promised(h.wx.checkSession)).res.errMsg).toBe('checkSession:ok');
    h.instance.controls.setSessionValid(false);
    expect((await promised(h.wx.checkSession)).ok).toBe(false);
    h.instance.controls.setUserKey('bob');
    const second = (await promised(h.wx.login)).res.code as string;
    expect(second).toMatch(/^dev-bob-/);
    expect(second).not.toBe(first);
    expect(h.instance.controls.loginCodes()).toEqual([first, second]);
    expect(() => h.instance.controls.setUserKey('a-b')).toThrow(/userKey/);
    expect(h.instance.controls.getUserKey()).toBe('bob');
  });

  test('login fails offline', async () => {
    h.instance.controls.setNetwork({ online: false });
    expect((await promised(h.wx.login)).res.errMsg).toBe(
      'login:fail net::ERR_INTERNET_DISCONNECTED',
    );
  });
});

describe('system and device info', () => {
  test('sync infos, capsule rect, account info and theme changes', async () => {
    const info = h.wx.getSystemInfoSync() as Record<string, unknown>;
    expect(info).toMatchObject({
      SDKVersion: '3.8.0',
      windowWidth: 375,
      pixelRatio: 2,
      theme: 'light',
    });
    expect(h.wx.getWindowInfo()).toMatchObject({ windowWidth: 375, statusBarHeight: 20 });
    expect(h.wx.getDeviceInfo()).toMatchObject({ platform: 'devtools' });
    expect(h.wx.getMenuButtonBoundingClientRect()).toEqual({
      width: 87,
      height: 32,
      top: 24,
      right: 365,
      bottom: 56,
      left: 278,
    });
    expect(h.wx.getAccountInfoSync()).toEqual({
      miniProgram: { appId: 'wxtestappid', envVersion: 'develop', version: '' },
      plugin: {},
    });
    const themes: unknown[] = [];
    h.wx.onThemeChange((e: unknown) => themes.push(e));
    h.instance.controls.setTheme('dark');
    expect(themes).toEqual([{ theme: 'dark' }]);
    expect((h.wx.getAppBaseInfo() as { theme: string }).theme).toBe('dark');
    expect(h.wx.getSystemSetting()).toMatchObject({ deviceOrientation: 'portrait' });
  });

  test('canIUse answers for emulated APIs and components, false for the rest', () => {
    expect(h.wx.canIUse('request')).toBe(true);
    expect(h.wx.canIUse('getSystemInfoSync.return.screenWidth')).toBe(true);
    expect(h.wx.canIUse('button.open-type.share')).toBe(true);
    expect(h.wx.canIUse('openBluetoothAdapter')).toBe(false);
    expect(h.wx.canIUse('')).toBe(false);
  });

  test('clipboard, recorded no-ops, update and log managers', async () => {
    await promised(h.wx.setClipboardData, { data: 'copied' });
    expect(h.instance.controls.getClipboard()).toBe('copied');
    expect(h.instance.controls.screen().toast?.title).toBe('内容已复制');
    h.instance.controls.setClipboard('from test');
    expect((await promised(h.wx.getClipboardData)).res.data).toBe('from test');
    h.wx.reportAnalytics('purchase', { price: 1 });
    h.wx.reportEvent('evt', { a: 1 });
    await promised(h.wx.vibrateShort, { type: 'light' });
    expect(h.instance.controls.history().map((r) => r.api)).toEqual([
      'setClipboardData',
      'reportAnalytics',
      'reportEvent',
      'vibrateShort',
    ]);
    const update = h.wx.getUpdateManager() as { onCheckForUpdate(fn: (r: unknown) => void): void };
    const checked = new Promise((resolve) => update.onCheckForUpdate(resolve));
    expect(await checked).toEqual({ hasUpdate: false });
    (h.wx.getRealtimeLogManager() as { warn(...a: unknown[]): void }).warn('slow', 3);
    expect(h.logs).toContainEqual({ type: 'warn', args: ['[realtime log]', 'slow', 3] });
  });
});

describe('privacy', () => {
  test('no authorization needed: requirePrivacyAuthorize succeeds at once', async () => {
    expect((await promised(h.wx.getPrivacySetting)).res.needAuthorization).toBe(false);
    expect((await promised(h.wx.requirePrivacyAuthorize)).ok).toBe(true);
  });

  test('the official popup is answered by controls; the app listener decides when present', async () => {
    h.instance.controls.setPrivacy({ needAuthorization: true, answer: 'pending' });
    const refused = promised(h.wx.requirePrivacyAuthorize);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.instance.controls.disagreePrivacy()).toBe(true);
    expect((await refused).res).toEqual({
      errMsg: 'requirePrivacyAuthorize:fail privacy permission is not authorized',
      errno: 104,
    });
    h.wx.onNeedPrivacyAuthorization((resolve: (r: unknown) => void) => resolve({ event: 'agree' }));
    expect((await promised(h.wx.requirePrivacyAuthorize)).ok).toBe(true);
    expect((await promised(h.wx.getPrivacySetting)).res.needAuthorization).toBe(false);
  });
});

describe('privacy, permission and network controls refuse wrong input', () => {
  test('nothing changes and the error says what is expected', async () => {
    const controls = h.instance.controls as unknown as Record<string, (...a: unknown[]) => unknown>;
    expect(() => controls.setPrivacy({ answer: 'yes' })).toThrow(
      'privacy answer must be agree, disagree or pending, got yes',
    );
    expect(() => controls.setPrivacy({ needAuthorization: 'no', answer: 'pending' })).toThrow(
      'needAuthorization must be true or false, got no',
    );
    expect((await promised(h.wx.getPrivacySetting)).res.needAuthorization).toBe(false);
    expect((await promised(h.wx.requirePrivacyAuthorize)).ok).toBe(true);
    expect(() => controls.setScope(5, 'granted')).toThrow(
      "scope must be a string like 'scope.camera'",
    );
    expect(() => controls.scriptOpenSetting({ 'scope.camera': 'yes' })).toThrow(
      'scriptOpenSetting expects',
    );
    expect(() => controls.scriptOpenSetting(null)).toThrow('scriptOpenSetting expects');
    expect(h.instance.controls.getScopes()).toEqual({});
  });
});

describe('privacy-gated APIs', () => {
  type Resolve = (r: { event: string; buttonId?: string }) => void;

  test('a gated call waits for the app popup; concurrent calls share one decision', async () => {
    h.instance.controls.setPrivacy({ needAuthorization: true });
    const asked: Array<{ resolve: Resolve; referrer: string }> = [];
    h.wx.onNeedPrivacyAuthorization((resolve: Resolve, info: { referrer: string }) =>
      asked.push({ resolve, referrer: info.referrer }),
    );
    const first = promised(h.wx.chooseImage, {});
    const second = promised(h.wx.setClipboardData, { data: 'x' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked.map((a) => a.referrer)).toEqual(['chooseImage']);
    asked[0].resolve({ event: 'agree', buttonId: 'agree-btn' });
    expect((await first).ok).toBe(true);
    expect((await second).ok).toBe(true);
    expect((await promised(h.wx.getClipboardData)).ok).toBe(true);
    expect(asked).toHaveLength(1);
  });

  test('refusal fails the gated call with errno 104; agreePrivacy lets waiting calls go on', async () => {
    h.instance.controls.setPrivacy({ needAuthorization: true, answer: 'disagree' });
    const refused = await promised(h.wx.chooseMedia, {});
    expect(refused.res).toEqual({
      errMsg: 'chooseMedia:fail privacy permission is not authorized',
      errno: 104,
    });
    h.instance.controls.setPrivacy({ answer: 'pending' });
    const waiting = viaCallbacks(h.wx.saveImageToPhotosAlbum, { filePath: 'http://tmp/none.png' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.instance.controls.agreePrivacy()).toBe(true);
    // past the privacy gate, the call itself runs (and fails on the missing file)
    expect((await waiting.settled).res.errMsg).toBe(
      'saveImageToPhotosAlbum:fail file not found: http://tmp/none.png',
    );
  });

  test('with a host button check, an agree without the tapped button id is refused', async () => {
    const checked = makeWx({}, undefined, { checkPrivacyButton: (id) => id === 'agree-btn' });
    try {
      checked.instance.controls.setPrivacy({ needAuthorization: true });
      checked.wx.onNeedPrivacyAuthorization((resolve: Resolve) => resolve({ event: 'agree' }));
      const { res } = await promised(checked.wx.requirePrivacyAuthorize);
      expect(res.errMsg).toBe('requirePrivacyAuthorize:fail privacy permission is not authorized');
      expect(String(checked.logs.at(-1)?.args[0])).toMatch(
        /needs the id of the tapped agree button/,
      );
    } finally {
      checked.close();
    }
  });
});

describe('unknown APIs', () => {
  test('a real but unemulated API fails loudly (async: fail/reject, sync shapes: throw) and logs', async () => {
    expect(typeof h.wx.openBluetoothAdapter).toBe('function');
    const { res } = await settle(h.wx.openBluetoothAdapter);
    expect(res.errMsg).toBe(
      'openBluetoothAdapter:fail wx.openBluetoothAdapter is not emulated by the headless simulator',
    );
    const rejected = await promised(h.wx.getLocation, {});
    expect(rejected.ok).toBe(false);
    expect(() => h.wx.createCameraContext()).toThrow('wx.createCameraContext is not emulated');
    expect(() => h.wx.getBatteryInfoSync()).toThrow('getBatteryInfoSync:fail');
    expect(h.logs.filter((l) => l.type === 'error').map((l) => l.args[0])).toEqual([
      'wx.openBluetoothAdapter is not emulated by the headless simulator',
      'wx.getLocation is not emulated by the headless simulator',
      'wx.createCameraContext is not emulated by the headless simulator',
      'wx.getBatteryInfoSync is not emulated by the headless simulator',
    ]);
  });

  test('wx.cloud exists, and each of its methods fails loudly', async () => {
    const cloud = h.wx.cloud as unknown as Record<string, (o?: unknown) => unknown>;
    const { res } = await settle(cloud.callFunction, { name: 'products' });
    expect(res.errMsg).toBe(
      'cloud.callFunction:fail wx.cloud.callFunction is not emulated by the headless simulator',
    );
    expect(h.logs.at(-1)).toEqual({
      type: 'error',
      args: ['wx.cloud.callFunction is not emulated by the headless simulator'],
    });
  });

  test('a name WeChat does not have stays undefined, as on a phone', () => {
    expect(h.wx.definitelyNotAnApi).toBeUndefined();
    expect('definitelyNotAnApi' in h.wx).toBe(false);
    expect('getLocation' in h.wx).toBe(true);
  });
});
