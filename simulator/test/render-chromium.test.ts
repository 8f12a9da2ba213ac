import fs from 'fs';
import { findChromium } from '../src/render/chromium';
import { diffPng } from '../src/render/png-diff';
import { createRenderer, type Renderer } from '../src/render/renderer';
import { defaultIdOf } from '../src/render/serialize';
import {
  assembleFixture,
  byClass,
  byId,
  FIXTURE_DIR,
  mountPage,
  type MountedPage,
} from './fixtures/render/harness';
import { readPng, rgbAt } from './fixtures/render/png';

// No silent skip: without Chromium this fails with the install line (findChromium's message).
jest.setTimeout(60_000);

describe('Chromium renderer on a fixture page with tdesign', () => {
  let dir: string;
  let page: MountedPage;
  let renderer: Renderer;
  const PAGE = 'pages/index/index';

  beforeAll(async () => {
    findChromium();
    dir = assembleFixture(FIXTURE_DIR);
    page = await mountPage(dir, PAGE);
    renderer = createRenderer({ projectPath: dir, width: 375, height: 603, dpr: 2 });
    await renderer.renderTree({ root: page.root, pagePath: PAGE });
  });

  afterAll(async () => {
    await renderer?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const id = (node: object) => defaultIdOf(node);
  const pixel = async (x: number, y: number) => {
    return rgbAt(readPng(await renderer.screenshot()), x, y);
  };

  it('takes a valid PNG of the window at DPR 2', async () => {
    const png = readPng(await renderer.screenshot());
    expect(png.width).toBe(750);
    expect(png.height).toBe(1206);
    // Top-left pixel is the header's background (#0052d9) from app.wxss.
    expect(rgbAt(png, 0, 0)).toEqual([0x00, 0x52, 0xd9]);
  });

  it('renders the same page to the same pixels (what a gallery check relies on)', async () => {
    const first = await renderer.screenshot();
    await renderer.render({ html: '<p>something else</p>' });
    await renderer.renderTree({ root: page.root, pagePath: PAGE });
    expect(diffPng(first, await renderer.screenshot()).differentPixels).toBe(0);
  });

  it('gives a tdesign t-button (virtualHost) a real box below the header and title', async () => {
    const header = await renderer.measure(id(byId(page.root, 'header')));
    expect(header).toEqual({ left: 0, top: 0, width: 375, height: 100 });
    const button = await renderer.measure(id(byId(page.root, 'go')));
    // header 200rpx = 100px, title line-height 60rpx = 30px, the page's .go-button margin 20rpx.
    expect(button).toEqual({ left: 0, top: 140, width: 375, height: 40 });
    // t-icon size 48rpx: its placeholder glyph box is 24px high (the icon font is unreachable).
    expect(await renderer.measure(byClass(page.root, 'plus'))).toMatchObject({ height: 24 });
    const small = await renderer.measure(byId(page.root, 'small'));
    expect(small?.width).toBeGreaterThan(0);
    expect(small?.width).toBeLessThan(375);
  });

  it('reads computed styles as the page and component wxss say', async () => {
    const title = id(byClass(page.root, 'title'));
    expect(await renderer.computedStyles(title, ['color', 'fontSize', 'display'])).toEqual([
      'rgb(255, 0, 0)',
      '20px',
      'block',
    ]);
    // The component's own .inner wins; the page's .inner does not reach an isolated component.
    const inner = id(byClass(page.root, 'inner'));
    expect(await renderer.computedStyles(inner, ['color', 'height'])).toEqual([
      'rgb(0, 0, 255)',
      '40px',
    ]);
    // tdesign's primary theme colour reaches the inner native button.
    const button = id(byId(page.root, 'go'));
    expect(await renderer.computedStyles(button, ['background-color'])).toEqual([
      'rgb(0, 82, 217)',
    ]);
  });

  it('answers offsetWidth/offsetHeight, hidden elements and inline rpx styles', async () => {
    const inline = id(byClass(page.root, 'inline-styled'));
    expect(await renderer.domProperties(inline, ['offsetWidth', 'offsetHeight'])).toEqual([
      188, 50,
    ]);
    const hidden = await renderer.measure(id(byClass(page.root, 'hidden-box')));
    expect(hidden).toMatchObject({ width: 0, height: 0 });
    const virtualHost = id(byId(page.root, 'go'));
    expect(await renderer.domProperties(virtualHost, ['offsetWidth', 'offsetHeight'])).toEqual([
      375, 40,
    ]);
  });

  it('scrolls a scroll-view to its scroll-top', async () => {
    const scroller = id(byClass(page.root, 'scroller'));
    expect(
      await renderer.domProperties(scroller, ['scrollTop', 'scrollHeight', 'offsetHeight']),
    ).toEqual([30, 200, 50]);
  });

  it("shows an input's placeholder, then its value, centred in its height", async () => {
    const field = id(byClass(page.root, 'field'));
    expect(await renderer.domProperties(field, ['innerText', 'offsetHeight'])).toEqual([
      'type here',
      40,
    ]);
    expect(await renderer.computedStyles(field, ['justify-content'])).toEqual(['center']);
    await page.setData({ typed: 'hello' });
    await renderer.renderTree({ root: page.root, pagePath: PAGE });
    expect(await renderer.domProperties(field, ['innerText'])).toEqual(['hello']);
  });

  it('loads local images from the project through interception', async () => {
    const logo = await renderer.measure(id(byClass(page.root, 'logo')));
    expect(logo).toMatchObject({ width: 50, height: 50 });
    const png = readPng(await renderer.screenshot());
    const x = Math.round(((logo?.left ?? 0) + 25) * 2);
    const y = Math.round(((logo?.top ?? 0) + 25) * 2);
    expect(rgbAt(png, x, y)).toEqual([255, 0, 255]);
  });

  it('reports window scroll sizes and follows the page scroll position', async () => {
    const [width, height] = await renderer.windowProperties([
      'document.documentElement.scrollWidth',
      'document.documentElement.scrollHeight',
    ]);
    expect(width).toBe(375);
    expect(height).toBeGreaterThan(1000);
    await renderer.renderTree({ root: page.root, pagePath: PAGE, scrollTop: 120 });
    expect(
      await renderer.windowProperties(['document.documentElement.scrollTop', 'no such']),
    ).toEqual([120, null]);
    const header = id(byId(page.root, 'header'));
    expect(await renderer.boundingClientRect(header)).toMatchObject({ top: -120, height: 100 });
    expect(await renderer.measure(header)).toMatchObject({ top: 0 });
    await renderer.renderTree({ root: page.root, pagePath: PAGE, scrollTop: 0 });
  });

  it('follows setData and the theme (prefers-color-scheme, theme.json background)', async () => {
    await page.setData({ title: 'Changed' });
    await renderer.renderTree({ root: page.root, pagePath: PAGE, theme: 'dark' });
    const dark = id(byClass(page.root, 'dark-aware'));
    expect(await renderer.computedStyles(dark, ['color'])).toEqual(['rgb(250, 250, 250)']);
    expect(await renderer.windowProperties(['document.documentElement.innerText'])).toEqual([
      expect.stringContaining('Changed'),
    ]);
    // The window background behind the page comes from theme.json's dark @bgColor.
    expect(await pixel(700, 1150)).toEqual([0, 0, 0]);
    await renderer.renderTree({ root: page.root, pagePath: PAGE, theme: 'light' });
    expect(await renderer.computedStyles(dark, ['color'])).toEqual(['rgb(1, 2, 3)']);
    expect(await pixel(700, 1150)).toEqual([0xf3, 0xf3, 0xf3]);
  });

  it('answers null for an element that is not on the page', async () => {
    expect(await renderer.measure('no-such-id')).toBeNull();
    expect(await renderer.computedStyles('no-such-id', ['color'])).toBeNull();
  });

  it('rejects bad input with a clear error and keeps the page', async () => {
    await expect(renderer.render({ html: 42 } as unknown as { html: string })).rejects.toThrow(
      'snapshot.html must be a string',
    );
    expect(await renderer.measure(id(byId(page.root, 'header')))).toMatchObject({ height: 100 });
  });
});

describe('renderer set-up errors', () => {
  it('names the install command when Chromium is missing', async () => {
    const renderer = createRenderer({ executablePath: '/nonexistent/chromium' });
    await expect(renderer.render({ html: '<p>x</p>' })).rejects.toThrow(
      /Chromium not found.*apt-get install -y chromium/,
    );
    await renderer.close();
  });

  it('needs a project for renderTree and positive sizes', async () => {
    await expect(createRenderer().renderTree({ root: {} })).rejects.toThrow('needs projectPath');
    expect(() => createRenderer({ width: 0 })).toThrow('width must be > 0');
  });
});
