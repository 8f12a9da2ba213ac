import {
  BASIC,
  currentPage,
  openSession,
  waitFor,
  type SandboxGlobals,
  type Session,
} from './helpers';

let session: Session;
type Page = Awaited<ReturnType<typeof currentPage>>;
let page: Page;

beforeAll(async () => {
  session = await openSession(BASIC, { launch: { path: 'pages/form/form' } });
  page = await currentPage(session.mp);
});
afterAll(async () => {
  await session.close();
});

async function el(selector: string) {
  const element = await page.$(selector);
  if (!element) throw new Error(`${selector} not found`);
  return element;
}
const events = async (): Promise<string[]> => (await page.data('events')) as string[];

describe('built-in components', () => {
  it('input: typing fires focus then input, confirm and blur carry the value', async () => {
    const input = (await el('#name')) as Awaited<ReturnType<typeof el>> & {
      input(v: string): Promise<void>;
    };
    expect(input.constructor.name).toBe('InputElement');
    await input.input('Ann');
    expect(await page.data('name')).toBe('Ann');
    expect(await input.value()).toBe('Ann');
    await input.trigger('confirm', { value: 'Ann' });
    await (await el('#result')).tap();
    expect(await events()).toEqual(['focus', 'confirm:Ann', 'blur:Ann']);
    await ((await el('#name')) as unknown as { input(v: string): Promise<void> }).input('Ann');
    await ((await el('#bio')) as unknown as { input(v: string): Promise<void> }).input('hello');
    // Typing into another field moves the focus: the first input blurs.
    expect((await events()).slice(3)).toEqual(['focus', 'blur:Ann', 'bio:hello']);
  });

  it('switch, checkbox, radio, slider and picker report changes', async () => {
    await (await el('#agree')).tap();
    expect(await page.data('agree')).toBe(true);
    await (await el('#fruit-pear')).tap();
    await (await el('#size-s')).tap();
    expect((await events()).slice(-2)).toEqual(['fruits:apple,pear', 'size:s']);
    await ((await el('#volume')) as unknown as { slideTo(v: number): Promise<void> }).slideTo(42);
    expect(await page.data('volume')).toBe(42);
    await (await el('#city')).trigger('change', { value: 1 });
    expect(await (await el('.picker-label')).text()).toBe('Shanghai');
  });

  it('a submit button submits the form with every named field; disabled buttons do nothing', async () => {
    await (await el('#submit')).tap();
    expect(JSON.parse((await page.data('result')) as string)).toEqual({
      name: 'Ann',
      bio: 'hello',
      agree: true,
      fruits: ['apple', 'pear'],
      size: 's',
      volume: 42,
      city: 1,
    });
    await page.setData({ result: '' });
    await (await el('#disabled')).tap();
    expect(await page.data('result')).toBe('');
    expect(await events()).not.toContain('disabled-tap');
  });

  it('a reset button clears the fields', async () => {
    await (await el('#reset')).tap();
    expect((await events()).slice(-1)).toEqual(['reset']);
    expect(await (await el('#name')).value()).toBe('');
  });

  it('scroll-view scrolls, reaches the ends and says sizes need rendering', async () => {
    const scroller = (await el('#scroller')) as unknown as {
      scrollTo(x: number, y: number): Promise<void>;
      property(name: string): Promise<unknown>;
      scrollHeight(): Promise<number>;
    };
    await scroller.scrollTo(0, 100);
    expect(await scroller.property('scrollTop')).toBe(100);
    await scroller.scrollTo(0, 10);
    expect((await events()).slice(-4)).toEqual(['scroll:100', 'lower', 'scroll:10', 'upper']);
    await expect(scroller.scrollHeight()).rejects.toThrow('needs rendering');
  });

  it('swiper swipes to an item; movable-view moves', async () => {
    const swiper = (await el('#swiper')) as unknown as { swipeTo(i: number): Promise<void> };
    await swiper.swipeTo(1);
    expect((await events()).slice(-1)).toEqual(['swiper:1:touch']);
    await expect(swiper.swipeTo(5)).rejects.toThrow('out of range');
    const mover = (await el('#mover')) as unknown as {
      moveTo(x: number, y: number): Promise<void>;
      property(name: string): Promise<unknown>;
    };
    await mover.moveTo(10, 20);
    expect((await events()).slice(-1)).toEqual(['move:10,20']);
    expect(await mover.property('x')).toBe(10);
  });

  it('a tapped label acts on its for= target or on the control it wraps', async () => {
    await (await el('#label-apple')).tap();
    // The reset before unchecked every box: the label checks apple again.
    expect((await events()).slice(-1)).toEqual(['fruits:apple']);
    await (await el('#label-wrap')).tap();
    expect((await events()).slice(-1)).toEqual(['wrapped:true']);
  });

  it('selector queries in app code answer zero boxes without rendering', async () => {
    expect(await page.callMethod('measureStyled')).toEqual({
      id: 'styled',
      dataset: {},
      left: 0,
      right: 0,
      top: 0,
      bottom: 0,
      width: 0,
      height: 0,
    });
  });

  it('reads inline styles; media contexts say they are not emulated', async () => {
    const styled = await el('#styled');
    expect(await styled.style('color')).toBe('red');
    expect(await styled.style('margin-top')).toBe('4px');
    expect(await styled.style('marginTop')).toBe('4px');
    expect(await styled.style('padding')).toBe('');
    const video = (await el('#video')) as unknown as {
      constructor: { name: string };
      callContextMethod(method: string): Promise<unknown>;
    };
    expect(video.constructor.name).toBe('ContextElement');
    await expect(video.callContextMethod('play')).rejects.toThrow(
      'media contexts are not emulated',
    );
  });

  it('image fires load with the real size, or error when the file is missing', async () => {
    const images = await waitFor(async () => {
      const value = (await page.data('images')) as Record<string, string>;
      return value['good-image'] && value['bad-image'] ? value : null;
    });
    expect(images).toEqual({ 'good-image': 'load:3x2', 'bad-image': 'error' });
  });
});

describe('button open-type="agreePrivacyAuthorization"', () => {
  /** Starts a privacy-gated call in the app; its outcome lands in globalData.clip. */
  const startGatedCall = () =>
    session.mp.evaluate(() => {
      const g = globalThis as unknown as SandboxGlobals;
      g.getApp().globalData.clip = 'waiting';
      g.wx.getClipboardData({
        success: () => (g.getApp().globalData.clip = 'ok'),
        fail: (res: { errMsg: string }) => (g.getApp().globalData.clip = res.errMsg),
      });
    });
  const clip = () =>
    session.mp.evaluate(() => (globalThis as unknown as SandboxGlobals).getApp().globalData.clip);
  const needsAuthorization = () =>
    session.mp.evaluate(() =>
      (
        (globalThis as unknown as SandboxGlobals).wx.getPrivacySetting() as Promise<{
          needAuthorization: boolean;
        }>
      ).then((res) => res.needAuthorization),
    );

  it('a tap agrees: the waiting gated call goes on and the page gets agreeprivacyauthorization', async () => {
    session.simulator.setPrivacy?.({ needAuthorization: true, answer: 'pending' });
    await startGatedCall();
    expect(await clip()).toBe('waiting');
    await (await el('#agree-privacy')).tap();
    expect(await waitFor(async () => ((await clip()) === 'ok' ? 'ok' : null))).toBe('ok');
    expect((await events()).slice(-1)).toEqual(['agreed-privacy']);
    expect(await needsAuthorization()).toBe(false);
  });

  it("the app's resolve({ event: 'agree', buttonId }) counts only with a tapped button's id", async () => {
    await session.mp.evaluate(() => {
      const g = globalThis as unknown as SandboxGlobals;
      g.wx.onNeedPrivacyAuthorization((resolve: unknown) => {
        g.getApp().globalData.resolvePrivacy = resolve;
      });
    });
    const answer = (buttonId: string) =>
      session.mp.evaluate((id: string) => {
        const g = globalThis as unknown as SandboxGlobals;
        (g.getApp().globalData.resolvePrivacy as (r: unknown) => void)({
          event: 'agree',
          buttonId: id,
        });
      }, buttonId);
    session.simulator.setPrivacy?.({ needAuthorization: true });
    await startGatedCall();
    await answer('never-tapped');
    expect(await waitFor(async () => ((await clip()) !== 'waiting' ? clip() : null))).toBe(
      'getClipboardData:fail privacy permission is not authorized',
    );
    // #agree-privacy was tapped in the test before.
    await startGatedCall();
    await answer('agree-privacy');
    expect(await waitFor(async () => ((await clip()) === 'ok' ? 'ok' : null))).toBe('ok');
  });
});
