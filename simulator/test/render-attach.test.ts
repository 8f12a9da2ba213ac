import fs from 'fs';
import { attachRenderer, type PageRendering } from '../src/render/attach';
import { findChromium } from '../src/render/chromium';
import type { ExparserNodeLike } from '../src/render/exparser-node';
import {
  assembleFixture,
  byClass,
  byId,
  FIXTURE_DIR,
  mountPage,
  type MountedPage,
} from './fixtures/render/harness';
import { readPng } from './fixtures/render/png';

jest.setTimeout(60_000);

describe('attachRenderer: the protocol-facing rendering path', () => {
  let dir: string;
  let page: MountedPage;
  let rendering: PageRendering;
  let scrollTop = 0;
  let theme: 'light' | 'dark' = 'light';
  let current: { node: ExparserNodeLike; route: string; scrollTop: number } | null;

  beforeAll(async () => {
    findChromium();
    dir = assembleFixture(FIXTURE_DIR);
    page = await mountPage(dir, 'pages/index/index');
    current = null;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const utils = require('j-component/src/tool/utils') as { cache(id: string): unknown };
    const attached = attachRenderer(
      {
        projectPath: dir,
        currentPage: () => current && { ...current, scrollTop },
        componentManager: (id) => utils.cache(id),
        theme: () => theme,
        windowHeight: 555,
      },
      { render: true },
    );
    if (!attached) throw new Error('render: true must attach');
    rendering = attached;
  });

  afterAll(async () => {
    await rendering?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers "no page is open" before a page exists', async () => {
    await expect(rendering.captureScreenshot()).rejects.toThrow('no page is open');
    current = { node: page.root, route: '/pages/index/index', scrollTop: 0 };
  });

  it('captures the current page as base64 PNG at the window size', async () => {
    const { data } = await rendering.captureScreenshot();
    const png = readPng(Buffer.from(data, 'base64'));
    expect([png.width, png.height]).toEqual([750, 1110]);
  });

  it('answers getOffset, layout DOM properties, styles and selector-query rects', async () => {
    const button = byId(page.root, 'go');
    expect(await rendering.getOffset(button)).toEqual({ left: 0, top: 140 });
    expect(await rendering.domProperties(button, ['offsetWidth', 'offsetHeight'])).toEqual([
      375, 40,
    ]);
    expect(await rendering.styles(byClass(page.root, 'title'), ['font-size'])).toEqual(['20px']);
    scrollTop = 40;
    expect(await rendering.boundingClientRect(button)).toMatchObject({ top: 100, bottom: 140 });
    expect(await rendering.windowProperties(['document.documentElement.scrollTop'])).toEqual([40]);
    scrollTop = 0;
  });

  it('follows the theme of the simulated phone', async () => {
    theme = 'dark';
    expect(await rendering.styles(byClass(page.root, 'dark-aware'), ['color'])).toEqual([
      'rgb(250, 250, 250)',
    ]);
    theme = 'light';
  });

  it('rejects for an element that is not on the page; zeros for its client rect', async () => {
    const detached: ExparserNodeLike = { is: '', childNodes: [] };
    await expect(rendering.getOffset(detached)).rejects.toThrow('not on the rendered page');
    expect(await rendering.boundingClientRect(detached)).toEqual({
      left: 0,
      top: 0,
      right: 0,
      bottom: 0,
      width: 0,
      height: 0,
    });
  });

  it('is off unless asked for (option or MP_SIM_RENDER=1)', () => {
    const host = { projectPath: dir, currentPage: () => null, componentManager: () => undefined };
    const saved = process.env.MP_SIM_RENDER;
    try {
      delete process.env.MP_SIM_RENDER;
      expect(attachRenderer(host)).toBeNull();
      expect(attachRenderer(host, { render: false })).toBeNull();
      process.env.MP_SIM_RENDER = '1';
      const fromEnv = attachRenderer(host);
      expect(fromEnv).not.toBeNull();
      void fromEnv?.close();
    } finally {
      if (saved === undefined) delete process.env.MP_SIM_RENDER;
      else process.env.MP_SIM_RENDER = saved;
    }
  });
});
