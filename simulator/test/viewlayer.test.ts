import {
  BASIC,
  clearJournal,
  currentPage,
  journal,
  openSession,
  raw,
  waitFor,
  type Session,
} from './helpers';

let session: Session;
beforeAll(async () => {
  session = await openSession(BASIC);
});
afterAll(async () => {
  await session.close();
});

describe('view-layer APIs in app code', () => {
  it('createSelectorQuery finds nodes with ids, datasets and properties (rects are 0 without layout)', async () => {
    const page = await currentPage(session.mp);
    const [title, items] = (await page.callMethod('queryTitle')) as [
      Record<string, unknown>,
      Array<Record<string, unknown>>,
    ];
    expect(title).toEqual({
      id: 'title',
      dataset: {},
      left: 0,
      right: 0,
      top: 0,
      bottom: 0,
      width: 0,
      height: 0,
    });
    expect(items).toEqual([
      { id: '', dataset: { id: 1 }, hoverClass: 'none' },
      { id: '', dataset: { id: 2 }, hoverClass: 'none' },
    ]);
  });

  it('createIntersectionObserver reports observed nodes as visible', async () => {
    const page = await currentPage(session.mp);
    expect(await page.callMethod('observeItems')).toEqual(['1:1', '2:1']);
  });

  it('wx.nextTick runs after the current code', async () => {
    const page = await currentPage(session.mp);
    expect(await page.callMethod('tick')).toEqual(['sync', 'tick']);
  });
});

describe('component lifetimes', () => {
  it('components see page show/hide; ready fires for components added later; detached on unload', async () => {
    const { mp } = session;
    const page = await currentPage(mp);
    const card = (await page.$('#card')) as unknown as { data(path: string): Promise<unknown> };
    expect(await card.data('readyCalled')).toBe(true);
    expect(await card.data('pageVisible')).toBe(true);
    await mp.callWxMethod('navigateTo', { url: '/pages/detail/detail' });
    expect(await card.data('pageVisible')).toBe(false);
    await mp.callWxMethod('navigateBack');
    expect(await card.data('pageVisible')).toBe(true);

    await page.setData({ showExtra: true });
    const extra = (await page.$('#extra-card')) as unknown as {
      data(path: string): Promise<unknown>;
    };
    await waitFor(() => extra.data('readyCalled'));

    await clearJournal(mp);
    await mp.callWxMethod('reLaunch', { url: '/pages/tab/tab' });
    const events = await journal(mp);
    expect(events).toEqual(
      expect.arrayContaining(['index.onUnload', 'card.detached:Hello', 'card.detached:extra']),
    );
    await mp.callWxMethod('reLaunch', { url: '/pages/index/index' });
  });
});

describe('WXSS', () => {
  it('is compiled by the official wcsc and kept for rendering', async () => {
    const reply = (await raw(session.mp, 'Simulator.wxssFiles')) as { result: string[] };
    expect(reply.result).toEqual(['app.wxss', 'pages/form/form.wxss']);
  });
});
