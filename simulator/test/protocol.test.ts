import {
  currentPage,
  BASIC,
  journal,
  openSession,
  raw,
  waitFor,
  type SandboxGlobals,
  type Session,
} from './helpers';

let session: Session;
beforeAll(async () => {
  session = await openSession(BASIC);
});
afterAll(async () => {
  await session.close();
});

describe('Tool.*', () => {
  it('reports an SDK version the client accepts and answers the IDE-only methods', async () => {
    const { mp } = session;
    await expect(mp.checkVersion()).resolves.toBeUndefined();
    expect(await raw(mp, 'Tool.getInfo')).toMatchObject({
      SDKVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    expect(await mp.testAccounts()).toEqual([]);
    expect(await mp.stopAudits()).toEqual({});
    expect(await mp.getTicket()).toEqual({ ticket: '' });
    await expect(mp.setTicket('t')).resolves.toBeUndefined();
    await expect(mp.refreshTicket()).resolves.toBeUndefined();
    await expect(raw(mp, 'Tool.enableRemoteDebug', { auto: true })).rejects.toThrow(
      /remote debugging/,
    );
  });

  it('rejects unknown methods and malformed parameters with a clear message', async () => {
    const { mp } = session;
    await expect(raw(mp, 'Nope.nothing')).rejects.toThrow('unknown method "Nope.nothing"');
    await expect(raw(mp, 'App.callWxMethod', { args: [] })).rejects.toThrow('parameter "method"');
    await expect(raw(mp, 'Tool.native', { method: 'shareConfirm' })).rejects.toThrow(
      /not emulated/,
    );
    await expect(raw(mp, 'Tool.native', { method: 'fly' })).rejects.toThrow(/unknown method "fly"/);
  });
});

describe('App.*', () => {
  it('lists the page stack and the current page', async () => {
    const { mp } = session;
    const stack = await mp.pageStack();
    expect(stack.map((page) => page.path)).toEqual(['pages/index/index']);
    const page = await currentPage(mp);
    expect(page.path).toBe('pages/index/index');
    expect(page.query).toEqual({});
  });

  it('calls sync and async wx methods, failing with the errMsg', async () => {
    const { mp } = session;
    const options = (await mp.callWxMethod('getLaunchOptionsSync')) as Record<string, unknown>;
    expect(options).toMatchObject({ path: 'pages/index/index', scene: 1001, query: {} });
    const info = (await mp.systemInfo()) as Record<string, unknown>;
    expect(typeof info.windowWidth).toBe('number');
    await expect(mp.callWxMethod('navigateTo', { url: '/pages/nowhere/nowhere' })).rejects.toThrow(
      'navigateTo:fail page "pages/nowhere/nowhere" is not found',
    );
    await expect(mp.callWxMethod('setNavigationBarTitle', { title: 'Renamed' })).resolves.toEqual({
      errMsg: 'setNavigationBarTitle:ok',
    });
    expect(session.simulator.chrome().navigationBar.title).toBe('Renamed');
    await mp.callWxMethod('setNavigationBarTitle', { title: 'Home' });
  });

  it('mocks a wx method with a value, with a function, and restores it', async () => {
    const { mp } = session;
    const callGetLaunch = () =>
      mp.evaluate(() => (globalThis as unknown as SandboxGlobals).wx.getLaunchOptionsSync());
    await mp.mockWxMethod('getLaunchOptionsSync', { path: 'mocked', scene: 7 });
    expect(await callGetLaunch()).toEqual({ path: 'mocked', scene: 7 });

    await mp.mockWxMethod(
      'getLaunchOptionsSync',
      function (this: { origin: () => { scene: number } }, suffix: string) {
        return { scene: this.origin().scene, suffix };
      },
      'from-args',
    );
    expect(await callGetLaunch()).toEqual({ scene: 1001, suffix: 'from-args' });

    await mp.mockWxMethod('showActionSheet', { tapIndex: 2 });
    const tapped = await mp.evaluate(() =>
      (globalThis as unknown as SandboxGlobals).wx.showActionSheet({ itemList: ['a', 'b', 'c'] }),
    );
    expect(tapped).toEqual({ tapIndex: 2 });

    await mp.restoreWxMethod('getLaunchOptionsSync');
    await mp.restoreWxMethod('showActionSheet');
    expect(await callGetLaunch()).toMatchObject({ path: 'pages/index/index', scene: 1001 });
  });

  it('evaluates functions in the app realm with arguments and awaits promises', async () => {
    const { mp } = session;
    expect(await mp.evaluate((a: number, b: number) => a * b, 6, 7)).toBe(42);
    expect(
      await mp.evaluate(() => new Promise((resolve) => setTimeout(() => resolve('later'), 5))),
    ).toBe('later');
    expect(
      await mp.evaluate(() =>
        (globalThis as unknown as SandboxGlobals).getCurrentPages().map((p) => p.route),
      ),
    ).toEqual(['pages/index/index']);
    await expect(
      mp.evaluate(() => {
        throw new Error('boom in evaluate');
      }),
    ).rejects.toThrow('boom in evaluate');
  });

  it('forwards the app console after enableLog', async () => {
    const { mp } = session;
    const logs: Array<{ type: string; args: unknown[] }> = [];
    mp.on('console', (entry: { type: string; args: unknown[] }) => logs.push(entry));
    await mp.evaluate(() => console.warn('careful', { n: 1 }));
    const entry = await waitFor(() => logs.find((item) => item.args[0] === 'careful'));
    expect(entry).toEqual({ type: 'warn', args: ['careful', { n: 1 }] });
  });

  it('lets the app call an exposed function (addBinding / bindingCalled)', async () => {
    const { mp } = session;
    const calls: unknown[][] = [];
    await mp.exposeFunction('reportToTest', (...args: unknown[]) => calls.push(args));
    await mp.evaluate(() =>
      (
        globalThis as unknown as SandboxGlobals & { reportToTest(...a: unknown[]): void }
      ).reportToTest('hi', 2),
    );
    await waitFor(() => calls.length === 1);
    expect(calls[0]).toEqual(['hi', 2]);
  });

  it('says screenshots need rendering', async () => {
    await expect(session.mp.screenshot()).rejects.toThrow('needs rendering (not enabled)');
  });
});

describe('Page.*', () => {
  it('finds elements, reads and writes data, calls methods', async () => {
    const { mp } = session;
    const page = await currentPage(mp);
    expect(await page.$('#nothing-here')).toBeNull();
    expect(await page.$$('.item')).toHaveLength(2);
    expect(await page.$$('.nothing')).toEqual([]);
    // wx:for wrappers are transparent for positions, as in the page's DOM.
    expect(await (await page.$('.list > .item:nth-child(2)'))?.text()).toBe('banana');
    expect(await (await page.$('.item:first-child'))?.text()).toBe('apple');
    expect(await page.$$('.item:last-child')).toHaveLength(1);
    expect(await page.getElementByXpath('//view')).toBeNull();
    expect(await page.data('list[1].name')).toBe('banana');
    await page.setData({ title: 'Changed' });
    expect(await (await page.$('#title'))?.text()).toBe('Changed');
    expect(await page.callMethod('add', 2, 3)).toBe(5);
    expect(await page.callMethod('later', 21)).toBe(42);
    await expect(page.callMethod('missing')).rejects.toThrow(
      'pages/index/index.missing is not a function',
    );
    await page.callMethod('renameFirst', 'apricot');
    expect(await page.data('list[0].name')).toBe('apricot');
    expect(await journal(mp)).toContain('setData.callback');
    await page.setData({ title: 'Hello' });
  });

  it('tracks the page scroll position and says sizes need rendering', async () => {
    const { mp } = session;
    await mp.pageScrollTo(120);
    const page = await currentPage(mp);
    expect(await page.scrollTop()).toBe(120);
    expect(await journal(mp)).toContain('index.onPageScroll:120');
    await expect(page.size()).rejects.toThrow('needs rendering');
  });
});

describe('Element.*', () => {
  it('gives the same element id for the same node', async () => {
    const page = await currentPage(session.mp);
    const first = await page.$('#inc');
    const second = await page.$('.btn');
    expect(first).not.toBeNull();
    expect(second).toBe(first);
  });

  it('reads text, attributes, properties, styles and WXML', async () => {
    const page = await currentPage(session.mp);
    const root = await page.$('#root');
    expect(root?.tagName).toBe('view');
    expect(await root?.attribute('class')).toBe('page index');
    expect(await root?.attribute('data-kind')).toBe('home');
    expect(await root?.attribute('nope')).toBeNull();
    const title = await page.$('#title');
    expect(await title?.text()).toBe('Hello');
    expect(await title?.outerWxml()).toBe('<text id="title" class="title">Hello</text>');
    expect(await title?.wxml()).toBe('Hello');
    const nav = await page.$('navigator');
    expect(await nav?.property('url')).toBe('/pages/detail/detail?id=7&from=nav');
    await expect(nav?.property('noSuchProperty')).rejects.toThrow(
      'navigator.noSuchProperty not exists',
    );
    expect(await nav?.style('color')).toBe('');
    await expect(nav?.size()).rejects.toThrow('needs rendering');
    await expect(nav?.offset()).rejects.toThrow('needs rendering');
  });

  it('enters a custom component shadow tree with element.$ and drives it as a CustomElement', async () => {
    const { mp } = session;
    const page = await currentPage(mp);
    expect(await page.$('.card__title')).toBeNull();
    expect(await page.$('my-card .slotted')).not.toBeNull();
    const card = await page.$('my-card');
    expect(card?.constructor.name).toBe('CustomElement');
    const title = await card?.$('.card__title');
    expect(await title?.text()).toBe('Hello');
    expect(await card?.$$('view')).toHaveLength(2);
    const custom = card as unknown as {
      data(path?: string): Promise<unknown>;
      setData(data: object): Promise<void>;
      callMethod(method: string, ...args: unknown[]): Promise<unknown>;
    };
    expect(await custom.data('title')).toBe('Hello');
    expect(await custom.callMethod('describe', 'card')).toBe('card:Hello');
    await custom.setData({ taps: 5 });
    expect(await (await card?.$('.card__count'))?.text()).toBe('taps: 5');
    await custom.setData({ taps: 0 });
    expect(await card?.property('title')).toBe('Hello');
  });

  it('taps like a finger: through the component into its inner element, events bubble out', async () => {
    const { mp } = session;
    const page = await currentPage(mp);
    await (await page.$('#inc'))?.tap();
    await (await page.$('#inc'))?.tap();
    expect(await page.data('count')).toBeGreaterThanOrEqual(2);
    await (await page.$('my-card'))?.tap();
    expect(await page.data('picked')).toBe('Hello#1');
    expect(await (await page.$('.picked'))?.text()).toBe('picked Hello#1');
    const items = await page.$$('.list > .item');
    await items[1].tap();
    expect(await page.data('lastItem')).toBe(2);
  });

  it('turns touchstart/touchend into a tap and a long hold into a longpress', async () => {
    const { mp } = session;
    const page = await currentPage(mp);
    const before = (await page.data('count')) as number;
    const inc = await page.$('#inc');
    await inc?.touchstart({
      touches: [{ pageX: 1, pageY: 1 }],
      changeTouches: [{ pageX: 1, pageY: 1 }],
    });
    await inc?.touchend({ touches: [], changeTouches: [{ pageX: 1, pageY: 1 }] });
    expect(await page.data('count')).toBe(before + 1);
    await inc?.longpress();
    expect(await page.data('count')).toBe(before + 1);
    await inc?.touchstart({ touches: [{ pageX: 0, pageY: 0 }] });
    await inc?.touchmove({ touches: [{ pageX: 50, pageY: 0 }] });
    await inc?.touchend({ changeTouches: [{ pageX: 50, pageY: 0 }] });
    expect(await page.data('count')).toBe(before + 1);
  });

  it('refuses to act on an element that left the page', async () => {
    const page = await currentPage(session.mp);
    await page.setData({ picked: 'temporary' });
    const picked = await page.$('.picked');
    expect(await picked?.text()).toBe('picked temporary');
    await page.setData({ picked: '' });
    await expect(picked?.text()).rejects.toThrow('is no longer on the page');
    await expect(picked?.tap()).rejects.toThrow('is no longer on the page');
  });

  it('triggers and dispatches events', async () => {
    const { mp } = session;
    const page = await currentPage(mp);
    const card = await page.$('my-card');
    await card?.trigger('pick', { title: 'manual', taps: 9 });
    expect(await page.data('picked')).toBe('manual#9');
    const item = (await page.$$('.item'))[0];
    await item.dispatchEvent({ eventName: 'tap', eventData: {} });
    expect(await page.data('lastItem')).toBe(1);
  });
});
