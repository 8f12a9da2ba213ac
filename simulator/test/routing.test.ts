import {
  currentPage,
  BASIC,
  clearJournal,
  journal,
  openSession,
  raw,
  waitFor,
  type SandboxGlobals,
  type Session,
} from './helpers';

let session: Session;
beforeAll(async () => {
  session = await openSession(BASIC, { launch: { query: { from: 'test' } } });
});
afterAll(async () => {
  await session.close();
});

const paths = async (): Promise<string[]> =>
  (await session.mp.pageStack()).map((page) => page.path);

describe('launch and lifecycles', () => {
  it('runs App then the entry page lifecycles in WeChat order, with launch options', async () => {
    expect(await journal(session.mp)).toEqual([
      'app.onLaunch:pages/index/index',
      'app.onShow:1001',
      'index.onLoad:{"from":"test"}',
      'index.onShow',
      'index.onReady',
    ]);
    const options = await session.mp.evaluate(
      () => (globalThis as unknown as SandboxGlobals).getApp().globalData.launchOptions,
    );
    expect(options).toMatchObject({
      path: 'pages/index/index',
      query: { from: 'test' },
      scene: 1001,
    });
  });

  it('resolves require() relative, from miniprogram_npm and keeps Page fields on the instance', async () => {
    const page = await currentPage(session.mp);
    expect(await page.data('lib')).toBe('fake-lib');
    const kept = await session.mp.evaluate(() => {
      const pages = (
        globalThis as unknown as SandboxGlobals
      ).getCurrentPages() as unknown as Array<{ pageField: unknown }>;
      return pages[0].pageField;
    });
    expect(kept).toEqual({ kept: true });
  });
});

describe('routing', () => {
  beforeEach(async () => {
    await session.mp.callWxMethod('reLaunch', { url: '/pages/index/index' });
    await clearJournal(session.mp);
  });

  it('navigateTo passes the query, hides the opener; navigateBack unloads and shows it again', async () => {
    const { mp } = session;
    await mp.callWxMethod('navigateTo', { url: '/pages/detail/detail?id=3&x=a%20b' });
    const detail = await currentPage(mp);
    expect(detail.path).toBe('pages/detail/detail');
    expect(detail.query).toEqual({ id: '3', x: 'a%20b' });
    expect(await detail.data('id')).toBe('3');
    expect(await paths()).toEqual(['pages/index/index', 'pages/detail/detail']);
    await mp.callWxMethod('navigateBack', { delta: 1 });
    expect(await paths()).toEqual(['pages/index/index']);
    expect(await journal(mp)).toEqual([
      'index.onHide',
      'detail.onLoad:{"id":"3","x":"a%20b"}',
      'detail.onShow',
      'detail.onUnload',
      'index.onShow',
    ]);
  });

  it('connects opener and opened page with an EventChannel', async () => {
    const { mp } = session;
    await mp.evaluate(() => {
      const g = globalThis as unknown as SandboxGlobals;
      g.wx.navigateTo({
        url: '/pages/detail/detail?id=9',
        events: {
          fromDetail(data: unknown) {
            g.getApp().globalData.fromDetail = data;
          },
        },
        success(res: { eventChannel: { emit(name: string, data: unknown): void } }) {
          res.eventChannel.emit('toDetail', { text: 'hello detail' });
        },
      });
    });
    await waitFor(async () => (await currentPage(mp)).path === 'pages/detail/detail');
    const page = await currentPage(mp);
    await waitFor(async () => (await page.data('message')) === 'hello detail');
    expect(
      await mp.evaluate(
        () => (globalThis as unknown as SandboxGlobals).getApp().globalData.fromDetail,
      ),
    ).toEqual({ id: '9' });
  });

  it('resolves relative urls and subpackage pages', async () => {
    const { mp } = session;
    await mp.callWxMethod('navigateTo', { url: '../detail/detail?id=rel' });
    expect((await currentPage(mp)).query).toEqual({ id: 'rel' });
    await mp.callWxMethod('navigateTo', { url: '/sub/pages/extra/extra?q=z' });
    const extra = await currentPage(mp);
    expect(extra.path).toBe('sub/pages/extra/extra');
    expect(await (await extra.$('.extra'))?.text()).toBe('extra z');
  });

  it('enforces tabBar rules', async () => {
    const { mp } = session;
    await expect(mp.callWxMethod('navigateTo', { url: '/pages/tab/tab' })).rejects.toThrow(
      'navigateTo:fail can not navigateTo a tabbar page',
    );
    await expect(mp.callWxMethod('redirectTo', { url: '/pages/tab/tab' })).rejects.toThrow(
      'redirectTo:fail can not redirectTo a tabbar page',
    );
    await expect(mp.callWxMethod('switchTab', { url: '/pages/detail/detail' })).rejects.toThrow(
      'switchTab:fail can not switch to no-tabBar page',
    );
    await expect(mp.callWxMethod('navigateBack')).rejects.toThrow(
      'navigateBack:fail cannot navigate back at first page.',
    );
  });

  it('switchTab closes other pages, keeps tab pages alive and shows them again', async () => {
    const { mp } = session;
    const home = await currentPage(mp);
    await mp.callWxMethod('navigateTo', { url: '/pages/detail/detail?id=1' });
    const detail = await currentPage(mp);
    await mp.callWxMethod('switchTab', { url: '/pages/tab/tab' });
    expect(await paths()).toEqual(['pages/tab/tab']);
    // The hidden tab page is still there; the closed page is gone.
    expect(await home.data('title')).toBe('Hello');
    await expect(detail.data()).rejects.toThrow('is not open (it was unloaded)');
    await mp.callWxMethod('switchTab', { url: '/pages/index/index' });
    expect(await paths()).toEqual(['pages/index/index']);
    const events = await journal(mp);
    expect(events).toEqual([
      'index.onHide',
      'detail.onLoad:{"id":"1"}',
      'detail.onShow',
      'detail.onUnload',
      'tab.onLoad',
      'tab.onShow',
      'tab.onHide',
      'index.onShow',
    ]);
  });

  it('redirectTo replaces the page; reLaunch unloads everything', async () => {
    const { mp } = session;
    await mp.callWxMethod('navigateTo', { url: '/pages/detail/detail?id=1' });
    await mp.callWxMethod('redirectTo', { url: '/pages/detail/detail?id=2' });
    expect(await paths()).toEqual(['pages/index/index', 'pages/detail/detail']);
    expect((await currentPage(mp)).query).toEqual({ id: '2' });
    await mp.callWxMethod('reLaunch', { url: '/pages/detail/detail?id=3' });
    expect(await paths()).toEqual(['pages/detail/detail']);
    const events = await journal(mp);
    expect(events).toContain('index.onUnload');
    expect(events.filter((event) => event === 'detail.onUnload')).toHaveLength(2);
  });

  it('fails a route to a page whose code throws, leaving the current page as it was', async () => {
    const { mp } = session;
    await expect(mp.callWxMethod('navigateTo', { url: '/pages/broken/broken' })).rejects.toThrow(
      'navigateTo:fail broken page module',
    );
    await expect(mp.callWxMethod('redirectTo', { url: '/pages/broken/broken' })).rejects.toThrow(
      'redirectTo:fail broken page module',
    );
    expect(await paths()).toEqual(['pages/index/index']);
    expect(await journal(mp)).toEqual([]);
  });

  it('allows at most 10 pages in the stack', async () => {
    const { mp } = session;
    for (let i = 0; i < 9; i++)
      await mp.callWxMethod('navigateTo', { url: `/pages/detail/detail?id=${i}` });
    expect(await paths()).toHaveLength(10);
    await expect(
      mp.callWxMethod('navigateTo', { url: '/pages/detail/detail?id=x' }),
    ).rejects.toThrow('navigateTo:fail webview count limit exceed');
    await mp.callWxMethod('navigateBack', { delta: 20 });
    expect(await paths()).toEqual(['pages/index/index']);
  });

  it('gives a page built with Component() its query as properties and lifecycles as methods', async () => {
    const { mp } = session;
    await mp.callWxMethod('navigateTo', { url: '/pages/comp/comp?name=Ann' });
    const page = await currentPage(mp);
    expect(await page.data()).toMatchObject({ name: 'Ann', loaded: true, fromQuery: 'Ann' });
    expect(await page.callMethod('greet')).toBe('hi Ann');
    expect(await (await page.$('.comp'))?.text()).toBe('name=Ann loaded=true');
  });

  it('follows a tapped navigator', async () => {
    const { mp } = session;
    const page = await currentPage(mp);
    await (await page.$('#nav'))?.tap();
    await waitFor(async () => (await currentPage(mp)).path === 'pages/detail/detail');
    expect((await currentPage(mp)).query).toEqual({ id: '7', from: 'nav' });
  });

  it('answers Tool.native goHome, navigateLeft and switchTab', async () => {
    const { mp } = session;
    await mp.callWxMethod('navigateTo', { url: '/pages/detail/detail?id=1' });
    await mp.native().navigateLeft();
    expect(await paths()).toEqual(['pages/index/index']);
    await mp.native().switchTab({ url: '/pages/tab/tab' });
    expect(await paths()).toEqual(['pages/tab/tab']);
    expect(await journal(mp)).toContain('tab.onTabItemTap:1:pages/tab/tab:Tab');
    await mp.native().goHome();
    expect(await paths()).toEqual(['pages/index/index']);
  });
});

describe('app visibility and page gestures', () => {
  beforeEach(async () => {
    await session.mp.callWxMethod('reLaunch', { url: '/pages/index/index' });
    await clearJournal(session.mp);
  });

  it('sends the app to the background and back (App.onHide/onShow, wx.onAppShow/onAppHide)', async () => {
    const { mp, simulator } = session;
    await mp.evaluate(() => {
      const g = globalThis as unknown as SandboxGlobals;
      g.wx.onAppShow((options: { scene: number }) =>
        (g.getApp().globalData.events as string[]).push(`wx.onAppShow:${options.scene}`),
      );
      g.wx.onAppHide(() => (g.getApp().globalData.events as string[]).push('wx.onAppHide'));
    });
    simulator.sendToBackground();
    await raw(mp, 'Simulator.foreground', { options: { scene: 1038 } });
    expect(await journal(mp)).toEqual([
      'index.onHide',
      'app.onHide',
      'wx.onAppHide',
      'app.onShow:1038',
      'wx.onAppShow:1038',
      'index.onShow',
    ]);
    expect(await mp.callWxMethod('getEnterOptionsSync')).toMatchObject({
      scene: 1038,
      path: 'pages/index/index',
    });
  });

  it('tells the wx layer when the app is hidden and shown (App.exit hides it too)', async () => {
    const { mp, simulator } = session;
    const controls = simulator.controls;
    if (!controls) throw new Error('the wx layer is not loaded');
    // The wx layer's own tests cover what setBackground does (interrupted network calls).
    const setBackground = jest.spyOn(controls, 'setBackground');
    try {
      await raw(mp, 'Simulator.background');
      expect(setBackground.mock.calls).toEqual([[true]]);
      await raw(mp, 'Simulator.foreground');
      expect(setBackground.mock.calls).toEqual([[true], [false]]);
      await raw(mp, 'App.exit');
      expect(setBackground.mock.calls).toEqual([[true], [false], [true]]);
      simulator.bringToForeground();
      expect(setBackground.mock.calls).toEqual([[true], [false], [true], [false]]);
    } finally {
      setBackground.mockRestore();
    }
  });

  it('fires onReachBottom and onPullDownRefresh; stopPullDownRefresh ends the refresh', async () => {
    const { mp, simulator } = session;
    await raw(mp, 'Simulator.reachBottom');
    await raw(mp, 'Simulator.pullDownRefresh');
    expect(await journal(mp)).toEqual(['index.onReachBottom', 'index.onPullDownRefresh']);
    await waitFor(() => simulator.chrome().pullDownRefreshing === false);
    await mp.callWxMethod('navigateTo', { url: '/pages/detail/detail' });
    await expect(raw(mp, 'Simulator.pullDownRefresh')).rejects.toThrow(
      'pages/detail/detail does not enable pull-down refresh',
    );
  });

  it('shows each page its own navigation bar title', async () => {
    const { mp, simulator } = session;
    expect(simulator.chrome().navigationBar.title).toBe('Home');
    await mp.callWxMethod('navigateTo', { url: '/pages/detail/detail' });
    expect(simulator.chrome().navigationBar.title).toBe('Detail');
    await mp.callWxMethod('setNavigationBarTitle', { title: 'Detail 2' });
    await mp.callWxMethod('navigateBack');
    expect(simulator.chrome().navigationBar.title).toBe('Home');
    await mp.callWxMethod('switchTab', { url: '/pages/tab/tab' });
    expect(simulator.chrome().navigationBar.title).toBe('Fixture');
  });

  it('keeps tabBar badges and rejects them on non-tab pages', async () => {
    const { mp, simulator } = session;
    await mp.callWxMethod('setTabBarBadge', { index: 1, text: '3' });
    expect(simulator.chrome().tabBar?.items[1].badge).toBe('3');
    await expect(mp.callWxMethod('setTabBarBadge', { index: 5, text: '1' })).rejects.toThrow(
      'tabbar item not found',
    );
    await mp.callWxMethod('navigateTo', { url: '/pages/detail/detail' });
    await expect(mp.callWxMethod('setTabBarBadge', { index: 0, text: '1' })).rejects.toThrow(
      'setTabBarBadge:fail not TabBar page',
    );
  });
});

describe('a missing entry page', () => {
  it('calls App.onPageNotFound, which may route elsewhere', async () => {
    const other = await openSession(BASIC, { launch: { path: 'pages/missing/missing' } });
    try {
      await waitFor(async () => (await currentPage(other.mp)).path === 'pages/detail/detail');
      expect((await currentPage(other.mp)).query).toEqual({ id: 'not-found' });
      expect(
        await other.mp.evaluate(
          () => (globalThis as unknown as SandboxGlobals).getApp().globalData.notFound,
        ),
      ).toEqual(['pages/missing/missing']);
    } finally {
      await other.close();
    }
  });
});
