import fs from 'fs';
import { ProjectStyles } from '../src/render/project-styles';
import { convertRpxInCss, rpxToPx } from '../src/render/rpx';
import { resolveImageUrl } from '../src/render/resources';
import type { ExparserNodeLike } from '../src/render/exparser-node';
import { defaultIdOf, scopePrefix, serializeComposedTree } from '../src/render/serialize';
import { parseWcscOutput } from '../src/render/wcsc';
import {
  assembleFixture,
  byClass,
  byId,
  FIXTURE_DIR,
  mountPage,
  type MountedPage,
} from './fixtures/render/harness';

const BUTTON = 'miniprogram_npm/tdesign-miniprogram/button/button';
const CARD = 'components/badge-card/index';

describe('rpx', () => {
  it('converts like the webview: floor, and hairlines never vanish', () => {
    const rpx = { width: 375, dpr: 2 };
    expect(rpxToPx(200, rpx)).toBe(100);
    expect(rpxToPx(45, rpx)).toBe(22);
    expect(rpxToPx(1, rpx)).toBe(0.5);
    expect(rpxToPx(1, { width: 375, dpr: 1 })).toBe(1);
    expect(rpxToPx(0, rpx)).toBe(0);
    expect(rpxToPx(750, { width: 414, dpr: 3 })).toBe(414);
    expect(convertRpxInCss('height: 100rpx; margin: -20rpx 0.5rpx', rpx)).toBe(
      'height: 50px; margin: -10px 0.5px',
    );
  });
});

describe('wcsc output parsing', () => {
  it('splits pieces into text, rpx, prefix and import ops', () => {
    const out =
      'version=x=comm=var __COMMON_STYLESHEETS__ \\x3d __COMMON_STYLESHEETS__||{};' +
      '__COMMON_STYLESHEETS__[\\x27c.wxss\\x27]\\x3d[\\x22.\\x22,[1],\\x22c{}\\x22];' +
      '=a.wxss=setCssToHead([[2,\\x22c.wxss\\x22],\\x22.\\x22,[1],\\x22a{width:\\x22,[0,10],\\x22}\\x22],undefined,{path:\\x22a.wxss\\x22})=';
    const bundle = parseWcscOutput(out);
    expect(bundle.sheets.get('a.wxss')).toEqual([
      [2, 'c.wxss'],
      '.',
      [1],
      'a{width:',
      [0, 10],
      '}',
    ]);
    expect(bundle.common.get('c.wxss')).toEqual(['.', [1], 'c{}']);
  });
});

describe('image urls', () => {
  it('maps project, page-relative and wx file paths onto the page origin', () => {
    expect(resolveImageUrl('/images/a.png', 'pages/x/index')).toBe('http://mp.sim/images/a.png');
    expect(resolveImageUrl('../../images/a.png', 'pages/x/index')).toBe(
      'http://mp.sim/images/a.png',
    );
    expect(resolveImageUrl('http://tmp/wx1.jpg', undefined)).toBe(
      'http://mp.sim/__wxfile/http%3A%2F%2Ftmp%2Fwx1.jpg',
    );
    expect(resolveImageUrl('wxfile://usr/a.png', undefined)).toContain('/__wxfile/wxfile');
    expect(resolveImageUrl('http://127.0.0.1:3000/a.png', undefined)).toBe(
      'http://127.0.0.1:3000/a.png',
    );
    expect(resolveImageUrl('https://example.com/a.png', undefined)).toBe(
      'https://example.com/a.png',
    );
  });
});

describe('serializeComposedTree on a mounted page', () => {
  let dir: string;
  let page: MountedPage;
  beforeAll(async () => {
    dir = assembleFixture(FIXTURE_DIR);
    page = await mountPage(dir, 'pages/index/index');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const serialize = () => {
    const styles = new ProjectStyles(dir);
    return serializeComposedTree(page.root, { isolationOf: (p) => styles.isolationOf(p) });
  };

  it('renders built-ins as wx- elements and keeps page classes bare', () => {
    const { html } = serialize();
    expect(html).toMatch(
      /<wx-view id="header" class="header" data-sim-id="s\d+">Header<\/wx-view>/,
    );
    expect(html).toContain('<wx-text class="title"');
    expect(html).toContain('你好 Sim');
  });

  it('flattens virtualHost components and tags their first elements with the host id', () => {
    const { html } = serialize();
    const host = byId(page.root, 'go');
    expect(host.__virtual).toBe(true);
    expect(html).not.toContain('<t-button');
    expect(html).toMatch(
      new RegExp(
        `<wx-button class="go-button [^"]*" data-sim-id="s\\d+" data-sim-host="${defaultIdOf(host)}"`,
      ),
    );
  });

  it('prefixes component classes by scope; apply-shared also keeps the bare name', () => {
    const tree = serialize();
    const btn = scopePrefix(BUTTON);
    expect(tree.html).toContain(`${btn}t-button--primary t-button--primary`);
    const card = scopePrefix(CARD);
    expect(tree.html).toContain(`class="${card}inner"`);
    expect(tree.scopes).toEqual(
      expect.arrayContaining([
        { path: BUTTON, prefix: btn, isolation: 'apply-shared' },
        { path: CARD, prefix: card, isolation: 'isolated' },
      ]),
    );
  });

  it("resolves the external class `class` to the parent's classes and drops unset ones", () => {
    const { html } = serialize();
    const button = html.match(/<wx-button class="([^"]*)"/)?.[1] ?? '';
    expect(button.split(' ')).toContain('go-button');
    expect(button.split(' ')).not.toContain('class');
    expect(button).not.toMatch(/(^| )t-class( |$)/);
  });

  it('keeps a non-virtual custom component as a host element and fills its slot', () => {
    const { html } = serialize();
    expect(html).toMatch(
      /<badge-card class="card" data-sim-id="s\d+"><wx-view class="[^"]*inner" data-sim-id="s\d+">Sim<wx-text class="slotted"/,
    );
  });

  it('writes built-in attributes, hidden and rpx inline styles', () => {
    const { html } = serialize();
    expect(html).toMatch(
      /<wx-image class="logo" data-sim-id="s\d+" mode="aspectFit"><img src="\/images\/dot.png"/,
    );
    expect(html).toMatch(/<wx-view class="hidden-box" data-sim-id="s\d+" hidden>/);
    expect(html).toMatch(/style="height: 50px; width: 50%"/);
  });

  it('uses the caller id function for data-sim-id', () => {
    const ids = new Map([[byClass(page.root, 'title'), 'el-7']]);
    const { html } = serializeComposedTree(page.root, { idOf: (n) => ids.get(n) });
    expect(html).toContain('<wx-text class="title" data-sim-id="el-7">');
    expect(html).not.toMatch(/<wx-view id="header" class="header" data-sim-id/);
  });
});

describe('serializeComposedTree on a hand-made tree', () => {
  // A page with one virtualHost component whose template uses an external class given as a list.
  const text = (value: string): ExparserNodeLike => ({ textContent: value });
  const page: ExparserNodeLike = { is: 'page', childNodes: [] };
  const pageShadow: ExparserNodeLike = { __virtual: true, childNodes: [] };
  const host: ExparserNodeLike = {
    is: 'comp',
    __virtual: true,
    class: 'outer',
    childNodes: [],
    __externalClassAlias: { 'ext-class': ['given', 'classes'] },
  };
  const hostShadow: ExparserNodeLike = { __virtual: true, childNodes: [], getHostNode: () => host };
  const inner: ExparserNodeLike = {
    is: '',
    class: 'ext-class own',
    ownerShadowRoot: hostShadow,
    _vt: { tagName: 'wx-view', attrs: [{ name: 'style', value: 'width: 375rpx' }] },
    __wxSlotChildren: [text('a < b')],
  };
  host.ownerShadowRoot = pageShadow;
  pageShadow.getHostNode = () => page;
  page.__wxSlotChildren = [pageShadow];
  pageShadow.__wxSlotChildren = [host];
  host.__wxSlotChildren = [hostShadow];
  hostShadow.__wxSlotChildren = [inner];

  it('resolves list-valued external classes, scopes own classes, escapes text', () => {
    const ids = new Map<ExparserNodeLike, string>([
      [host, 'h1'],
      [inner, 'i1'],
    ]);
    const tree = serializeComposedTree(page, {
      idOf: (n) => ids.get(n),
      componentOf: (n) => (n.is === 'comp' ? { path: 'components/comp/index' } : undefined),
      isolationOf: () => 'isolated',
    });
    expect(tree.html).toBe(
      '<wx-view class="given classes components-comp-index--own" data-sim-id="i1" ' +
        'data-sim-host="h1" style="width: 187px">a &lt; b</wx-view>',
    );
    expect(tree.scopes).toEqual([
      { path: 'components/comp/index', prefix: 'components-comp-index--', isolation: 'isolated' },
    ]);
  });
});
