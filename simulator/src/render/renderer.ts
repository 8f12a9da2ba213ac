import type { Page } from 'playwright-core';
import {
  BUILTIN_CSS,
  BUTTON_LEGACY_CSS,
  BUTTON_V2_CSS,
  ICON_PLACEHOLDER_CSS,
} from './builtin-styles';
import { launchChromium, type LaunchedChromium } from './chromium';
import type { ExparserNodeLike } from './exparser-node';
import { PAGE_HELPERS } from './page-helpers';
import { ProjectStyles, type ThemeName } from './project-styles';
import { handleRequest, PAGE_ORIGIN, resolveImageUrl } from './resources';
import {
  defaultIdOf,
  serializeComposedTree,
  type ComponentInfo,
  type SerializedTree,
} from './serialize';

export interface RendererOptions {
  /** Chromium binary; default MP_SIM_CHROMIUM or /usr/bin/chromium. */
  executablePath?: string;
  /** Window width in CSS px (default 375). Also the rpx base: 1rpx = width/750 px. */
  width?: number;
  /** Window height in CSS px: `windowHeight` from system info (default 603, iPhone 6 minus bars). */
  height?: number;
  /** Device pixel ratio (default 2): screenshots are width*dpr pixels wide. */
  dpr?: number;
  /** Initial prefers-color-scheme (default 'light'). */
  theme?: ThemeName;
  /** The mini program root (`dist/`): WXSS, images. Needed by `renderTree`. */
  projectPath?: string;
  /** Maps wx file paths (`http://tmp/...`, `wxfile://usr/...`) to real files for images. */
  resolveWxFile?: (wxPath: string) => string;
  /** Timeout for browser start and each page operation in ms (default 30000). */
  timeoutMs?: number;
}

/** Ready-made HTML and CSS to show (what `renderTree` builds from a page). */
export interface RenderSnapshot {
  /** Body content (see `serializeComposedTree`). */
  html: string;
  /** Page CSS (compiled WXSS); built-in component styles are added underneath. */
  css?: string;
  /** Window background behind the page (app.json window.backgroundColor). */
  background?: string;
  theme?: ThemeName;
  /** Page scroll position in px (wx.pageScrollTo). */
  scrollTop?: number;
  /** app.json `"style": "v2"`: weui v2 look for native buttons (default false). */
  styleV2?: boolean;
}

export interface TreeRenderInput {
  /** The current page's exparser node (its shadow tree is the page). */
  root: ExparserNodeLike;
  /** The page's path (`pages/index/index`); default from `componentOf(root)`. */
  pagePath?: string;
  /** The runtime's element ids; default ids made by the serialiser. */
  idOf?: (node: ExparserNodeLike) => string | undefined;
  componentOf?: (node: ExparserNodeLike) => ComponentInfo | undefined;
  /** Live scroll-view offsets (see SerializeOptions.scrollOffsetOf). */
  scrollOffsetOf?: (node: ExparserNodeLike) => { top: number; left: number } | undefined;
  theme?: ThemeName;
  scrollTop?: number;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ClientRect extends Rect {
  right: number;
  bottom: number;
}

/** An element: the runtime's id (as written in data-sim-id) or the exparser node itself. */
export type NodeRef = string | ExparserNodeLike;

export interface Renderer {
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  /** Shows a snapshot (skipped when it is the one already shown). Starts Chromium on first use. */
  render(snapshot: RenderSnapshot): Promise<void>;
  /** Serialises the page's composed tree, compiles its WXSS and shows it. */
  renderTree(input: TreeRenderInput): Promise<SerializedTree>;
  /** PNG of the window (or of the whole page with fullPage), width*dpr pixels wide. */
  screenshot(options?: { fullPage?: boolean }): Promise<Buffer>;
  /** Document-relative box; null when the element is not on the rendered page. */
  measure(node: NodeRef): Promise<Rect | null>;
  /** Viewport-relative box, as `createSelectorQuery().boundingClientRect()` reports it. */
  boundingClientRect(node: NodeRef): Promise<ClientRect | null>;
  /** Computed style values (dashed or camelCase names), in order; null when not rendered. */
  computedStyles(node: NodeRef, names: string[]): Promise<string[] | null>;
  /** DOM properties such as offsetWidth/offsetHeight; null when not rendered. */
  domProperties(node: NodeRef, names: string[]): Promise<unknown[] | null>;
  /** Dotted window paths such as `document.documentElement.scrollHeight`; unknown paths are null. */
  windowProperties(names: string[]): Promise<unknown[]>;
  /** Stops Chromium and removes its profile. Safe to call twice; later calls start it again. */
  close(): Promise<void>;
}

/** How long a render waits for images and fonts before showing what has arrived. */
const IMAGE_WAIT_MS = 3000;

function documentFor(snapshot: RenderSnapshot, width: number): string {
  const background = snapshot.background ? `html{background:${snapshot.background};}` : '';
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<base href="${PAGE_ORIGIN}/"><meta name="viewport" content="width=${width}">` +
    `<style>${BUILTIN_CSS}${snapshot.styleV2 ? BUTTON_V2_CSS : BUTTON_LEGACY_CSS}${background}</style>` +
    `<style>${(snapshot.css ?? '').replace(/<\/style/gi, '<\\/style')}</style>` +
    `<style>${ICON_PLACEHOLDER_CSS}</style>` +
    `<script>${PAGE_HELPERS}</script></head><body>${snapshot.html}</body></html>`
  );
}

class ChromiumRenderer implements Renderer {
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  private browser: Promise<{ chromium: LaunchedChromium; page: Page }> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private shown: string | null = null;
  private shownScroll = 0;
  private theme: ThemeName;
  private styles: ProjectStyles | null;
  private lastIdOf: (node: ExparserNodeLike) => string | undefined = defaultIdOf;

  constructor(private readonly options: RendererOptions) {
    this.width = options.width ?? 375;
    this.height = options.height ?? 603;
    this.dpr = options.dpr ?? 2;
    this.theme = options.theme ?? 'light';
    this.styles = options.projectPath ? new ProjectStyles(options.projectPath) : null;
    for (const [name, value] of Object.entries({
      width: this.width,
      height: this.height,
      dpr: this.dpr,
    })) {
      if (!Number.isFinite(value) || value <= 0)
        throw new Error(`createRenderer: ${name} must be > 0`);
    }
  }

  /** One page operation at a time, so a measure always sees the last render. */
  private run<T>(task: (page: Page) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => task(await this.page()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private page(): Promise<Page> {
    if (!this.browser) {
      const starting = launchChromium({
        executablePath: this.options.executablePath,
        width: this.width,
        height: this.height,
        dpr: this.dpr,
        colorScheme: this.theme,
        timeoutMs: this.options.timeoutMs,
      }).then(async (chromium) => {
        try {
          const context = chromium.context;
          context.setDefaultTimeout(this.options.timeoutMs ?? 30_000);
          await context.route('**/*', (route) =>
            handleRequest(route, {
              projectPath: this.options.projectPath,
              resolveWxFile: this.options.resolveWxFile,
            }).catch(() => undefined),
          );
          const page = context.pages()[0] ?? (await context.newPage());
          // A crashed or closed browser starts afresh on the next call.
          context.on('close', () => {
            if (this.browser === starting) this.browser = null;
            this.shown = null;
          });
          return { chromium, page };
        } catch (error) {
          await chromium.close();
          throw error;
        }
      });
      this.browser = starting;
      starting.catch(() => {
        if (this.browser === starting) this.browser = null;
      });
    }
    return this.browser.then((b) => b.page);
  }

  render(snapshot: RenderSnapshot): Promise<void> {
    if (typeof snapshot?.html !== 'string') {
      return Promise.reject(new Error('render: snapshot.html must be a string'));
    }
    return this.run(async (page) => {
      const theme = snapshot.theme ?? this.theme;
      if (theme !== this.theme) {
        this.theme = theme;
        this.shown = null;
      }
      const doc = documentFor(snapshot, this.width);
      if (doc !== this.shown) {
        await page.emulateMedia({ colorScheme: theme });
        await page.setContent(doc, { waitUntil: 'domcontentloaded' });
        // Images from a slow backend must not hold a screenshot up for the full op timeout.
        await page.waitForLoadState('load', { timeout: IMAGE_WAIT_MS }).catch(() => undefined);
        await page.evaluate('document.fonts.ready.then(() => window.__sim.applyScroll())');
        this.shown = doc;
        this.shownScroll = 0;
      }
      const scrollTop = Math.max(0, snapshot.scrollTop ?? 0);
      if (scrollTop !== this.shownScroll) {
        await page.evaluate(`window.scrollTo(0, ${Number(scrollTop)})`);
        this.shownScroll = scrollTop;
      }
    });
  }

  async renderTree(input: TreeRenderInput): Promise<SerializedTree> {
    const styles = this.styles;
    if (!styles) throw new Error('renderTree: createRenderer needs projectPath');
    const rpx = { width: this.width, dpr: this.dpr };
    let pagePath = input.pagePath;
    const idOf = input.idOf ?? defaultIdOf;
    const tree = serializeComposedTree(input.root, {
      idOf,
      componentOf: input.componentOf,
      scrollOffsetOf: input.scrollOffsetOf,
      isolationOf: (p) => styles.isolationOf(p),
      resolveUrl: (src) => resolveImageUrl(src, pagePath),
      rpx,
    });
    pagePath ??= tree.pagePath;
    const theme = input.theme ?? this.theme;
    const css = await styles.pageCss(pagePath, tree.scopes, rpx);
    await this.render({
      html: tree.html,
      css,
      background: styles.windowBackground(pagePath, theme),
      theme,
      scrollTop: input.scrollTop,
      styleV2: styles.styleV2(),
    });
    this.lastIdOf = idOf;
    return tree;
  }

  private idFor(node: NodeRef): string {
    if (typeof node === 'string') return node;
    const id = node && typeof node === 'object' ? this.lastIdOf(node) : undefined;
    if (!id) throw new Error('renderer: the node has no id in the rendered page');
    return id;
  }

  private call<T>(method: string, ...args: unknown[]): Promise<T> {
    const argList = args.map((a) => JSON.stringify(a)).join(',');
    return this.run(async (page) => {
      if (this.shown === null) throw new Error(`renderer.${method}: nothing rendered yet`);
      return (await page.evaluate(`window.__sim.${method}(${argList})`)) as T;
    });
  }

  screenshot(options: { fullPage?: boolean } = {}): Promise<Buffer> {
    return this.run(async (page) => {
      if (this.shown === null) throw new Error('renderer.screenshot: nothing rendered yet');
      return page.screenshot({ type: 'png', fullPage: options.fullPage === true });
    });
  }

  measure(node: NodeRef): Promise<Rect | null> {
    return this.call<Rect | null>('box', this.idFor(node));
  }

  boundingClientRect(node: NodeRef): Promise<ClientRect | null> {
    return this.call<ClientRect | null>('rect', this.idFor(node));
  }

  computedStyles(node: NodeRef, names: string[]): Promise<string[] | null> {
    return this.call<string[] | null>('styles', this.idFor(node), names.map(String));
  }

  domProperties(node: NodeRef, names: string[]): Promise<unknown[] | null> {
    return this.call<unknown[] | null>('dom', this.idFor(node), names.map(String));
  }

  windowProperties(names: string[]): Promise<unknown[]> {
    return this.call<unknown[]>('windowProps', names.map(String));
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    this.shown = null;
    if (!browser) return;
    await browser.then((b) => b.chromium.close()).catch(() => undefined);
  }
}

/**
 * A Chromium-backed renderer for the simulator. Nothing starts until the first render: the
 * browser is launched lazily and kept for later renders until `close()`.
 */
export function createRenderer(options: RendererOptions = {}): Renderer {
  return new ChromiumRenderer(options);
}

/** Rendering is opt-in: the simulator's `render` option, else `MP_SIM_RENDER=1`. */
export function renderingEnabled(option?: boolean): boolean {
  if (option !== undefined) return option;
  const env = process.env.MP_SIM_RENDER;
  return env === '1' || env === 'true';
}
