import type { ExparserNodeLike } from './exparser-node';
import type { ThemeName } from './project-styles';
import { createRenderer, renderingEnabled, type ClientRect, type Renderer } from './renderer';
import { isolationFromOptions, type ComponentInfo } from './serialize';

/** What the rendering path needs from the simulator runtime (all plain reads). */
export interface RenderHost {
  /** The mini program root (`runtime.project.root`). */
  projectPath: string;
  /** The page on top of the stack: its exparser node, route and scroll position; null if none. */
  currentPage(): { node: ExparserNodeLike; route: string; scrollTop: number } | null;
  /**
   * j-component's manager for a component id (`runtime.libraries.componentManager`): its
   * `path` and `definition.options` tell which stylesheet and isolation a node uses.
   */
  componentManager(id: string): unknown;
  /** A scroll-view's scroll position (`builtins.scrollOffset`); default its scroll-top property. */
  scrollOffsetOf?(node: ExparserNodeLike): { top: number; left: number } | undefined;
  /** The simulated phone's theme (wx system state). Default light. */
  theme?(): ThemeName;
  /** wx file paths (`http://tmp/...`) to real files (`controls.resolvePath`). */
  resolveWxFile?(wxPath: string): string;
  /** `windowHeight` from system info (default 603), `windowWidth` (375), `pixelRatio` (2). */
  windowHeight?: number;
  windowWidth?: number;
  pixelRatio?: number;
}

export interface AttachOptions {
  /** The simulator's `render` option; when undefined, MP_SIM_RENDER=1 turns rendering on. */
  render?: boolean;
  /** Chromium binary (default MP_SIM_CHROMIUM or /usr/bin/chromium). */
  executablePath?: string;
}

/** Layout answers for the protocol, each rendering the current page first (skipped if unchanged). */
export interface PageRendering {
  /** App.captureScreenshot → `{ data: base64 PNG }`. */
  captureScreenshot(): Promise<{ data: string }>;
  /** Element.getOffset → `{ left, top }` in page coordinates. */
  getOffset(node: ExparserNodeLike): Promise<{ left: number; top: number }>;
  /** Element.getDOMProperties for layout names (offsetWidth, offsetHeight, scrollHeight...). */
  domProperties(node: ExparserNodeLike, names: string[]): Promise<unknown[]>;
  /** Element.getStyles → computed values in order. */
  styles(node: ExparserNodeLike, names: string[]): Promise<string[]>;
  /** Page.getWindowProperties → values in order (unknown paths are null). */
  windowProperties(names: string[]): Promise<unknown[]>;
  /** createSelectorQuery().boundingClientRect(): viewport-relative box. */
  boundingClientRect(node: ExparserNodeLike): Promise<ClientRect>;
  /** The renderer underneath (tests, the screenshots script). */
  readonly renderer: Renderer;
  /** Stops Chromium. Call from the simulator's close(). */
  close(): Promise<void>;
}

interface ManagerShape {
  path?: unknown;
  definition?: { options?: { styleIsolation?: unknown; addGlobalClass?: unknown } };
}

const EMPTY_RECT: ClientRect = { left: 0, top: 0, right: 0, bottom: 0, width: 0, height: 0 };

/**
 * The rendering path for the protocol server, or null when rendering is off (then the server
 * keeps answering "needs rendering"). Chromium starts on the first call, not here.
 */
export function attachRenderer(
  host: RenderHost,
  options: AttachOptions = {},
): PageRendering | null {
  if (!renderingEnabled(options.render)) return null;
  const renderer = createRenderer({
    executablePath: options.executablePath,
    projectPath: host.projectPath,
    width: host.windowWidth,
    height: host.windowHeight,
    dpr: host.pixelRatio,
    resolveWxFile: host.resolveWxFile ? (p) => host.resolveWxFile!(p) : undefined,
  });
  const componentOf = (node: ExparserNodeLike): ComponentInfo | undefined => {
    if (!node.is) return undefined;
    const manager = host.componentManager(node.is) as ManagerShape | undefined;
    if (!manager || typeof manager.path !== 'string') return undefined;
    return {
      path: manager.path.replace(/^\/+/, ''),
      isolation: isolationFromOptions(manager.definition?.options),
    };
  };
  const renderCurrent = async (): Promise<void> => {
    const page = host.currentPage();
    if (!page) throw new Error('no page is open');
    await renderer.renderTree({
      root: page.node,
      pagePath: page.route.replace(/^\/+/, ''),
      componentOf,
      scrollOffsetOf: host.scrollOffsetOf ? (node) => host.scrollOffsetOf?.(node) : undefined,
      theme: host.theme?.() ?? 'light',
      scrollTop: page.scrollTop,
    });
  };
  const notRendered = (): Error =>
    new Error('element is not on the rendered page (not attached, or on another page)');

  return {
    renderer,
    async captureScreenshot() {
      await renderCurrent();
      return { data: (await renderer.screenshot()).toString('base64') };
    },
    async getOffset(node) {
      await renderCurrent();
      const box = await renderer.measure(node);
      if (!box) throw notRendered();
      return { left: box.left, top: box.top };
    },
    async domProperties(node, names) {
      await renderCurrent();
      const values = await renderer.domProperties(node, names);
      if (!values) throw notRendered();
      return values;
    },
    async styles(node, names) {
      await renderCurrent();
      const values = await renderer.computedStyles(node, names);
      if (!values) throw notRendered();
      return values;
    },
    async windowProperties(names) {
      await renderCurrent();
      return renderer.windowProperties(names);
    },
    async boundingClientRect(node) {
      await renderCurrent();
      // WeChat answers zeros for a node that takes no space; so does an unrendered one here.
      return (await renderer.boundingClientRect(node)) ?? EMPTY_RECT;
    },
    close: () => renderer.close(),
  };
}
