import {
  MiniProgramRuntime,
  type LaunchOptionsInput,
  type MiniProgramOptions,
} from './runtime/mini-program';
import type { SimulatorControls } from './wx';
import type { ChromeState } from './runtime/ui-state';
import { startProtocolServer, type ProtocolServer } from './protocol/server';
import { ElementRegistry } from './protocol/element-registry';
import type { Handlers, ProtocolContext } from './protocol/context';
import { toolMethods, callControl } from './protocol/tool-methods';
import { appMethods } from './protocol/app-methods';
import { pageMethods } from './protocol/page-methods';
import { elementMethods } from './protocol/element-methods';
import type { PageRendering } from './render/attach';
import type { ExparserNode } from './runtime/exparser-types';

export interface SimulatorOptions extends MiniProgramOptions {
  /** Port of the automator WebSocket on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * Keep running when a client sends Tool.close (mp.close()); for a simulator shared by many
   * specs. Default false: Tool.close ends the simulator, as closing the DevTools project does.
   */
  keepAliveOnToolClose?: boolean;
  /** Called once after the simulator has closed (by close() or Tool.close). */
  onClose?: () => void;
  /**
   * Lay pages out in headless Chromium for screenshots, sizes, offsets and computed styles.
   * Default: the MP_SIM_RENDER environment variable ('1'/'true'); otherwise those answer
   * "needs rendering (not enabled)".
   */
  render?: boolean;
  /** Chromium binary for rendering (default MP_SIM_CHROMIUM or the system's chromium). */
  chromiumPath?: string;
}

/** The simulator handle; the wx layer's controls (setNetwork, confirmModal, ...) are spread in. */
export type Simulator = SimulatorHandle & Partial<SimulatorControls>;

export interface SimulatorHandle {
  /** `ws://127.0.0.1:<port>` for automator.connect({ wsEndpoint }). */
  wsEndpoint: string;
  port: number;
  /** Controls of the simulated phone's services (network, modals, storage...), or null. */
  controls: SimulatorControls | null;
  runtime: MiniProgramRuntime;
  /** Startup timings in ms (libraries, wcc, launch, start). */
  timings: Record<string, number>;
  /** The user leaves the app / comes back (App.onHide / App.onShow and page hide/show). */
  sendToBackground(): void;
  bringToForeground(options?: LaunchOptionsInput): void;
  chrome(): ChromeState;
  close(): Promise<void>;
}

/** Start the runtime and the automator protocol server for one project. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  if (!options || typeof options.projectPath !== 'string' || options.projectPath === '') {
    throw new Error('startSimulator: projectPath is required');
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`startSimulator: port must be an integer 0-65535, got ${String(options.port)}`);
  }
  const runtime = new MiniProgramRuntime(options);
  const rendering = await attachRendering(runtime, options);
  if (rendering) {
    runtime.layout = {
      boundingClientRect: (node) => rendering.boundingClientRect(node),
    };
  }
  let server: ProtocolServer | null = null;
  let logEnabled = false;
  let closing: Promise<void> | null = null;

  const close = (): Promise<void> => {
    closing ??= (async () => {
      runtime.close();
      await server?.close();
      await rendering?.close().catch(() => undefined);
      options.onClose?.();
    })();
    return closing;
  };

  const context: ProtocolContext = {
    runtime,
    elements: new ElementRegistry(),
    gestures: runtime.gestures,
    builtins: runtime.builtins,
    rendering,
    sdkVersion: options.wx?.sdkVersion ?? '3.8.0',
    enableLog: () => {
      logEnabled = true;
    },
    requestClose: () => {
      if (options.keepAliveOnToolClose) return;
      setTimeout(() => void close(), 20);
    },
  };
  const handlers: Handlers = {
    ...toolMethods(context),
    ...appMethods(context),
    ...pageMethods(context),
    ...elementMethods(context),
  };

  try {
    server = await startProtocolServer(port, async (method, params) => {
      if (runtime.isClosed) throw new Error('the simulator is closing');
      const handler = handlers[method];
      if (handler) return await handler(params);
      if (method.startsWith('Simulator.'))
        return await callControl(context, method.slice('Simulator.'.length), params);
      throw new Error(`unknown method "${method}"`);
    });
  } catch (error) {
    runtime.close();
    await rendering?.close().catch(() => undefined);
    throw new Error(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`);
  }
  const active = server;
  runtime.on('log', (entry) => {
    if (logEnabled) active.broadcast('App.logAdded', entry);
  });
  runtime.on('exception', (entry) => active.broadcast('App.exceptionThrown', entry));
  runtime.on('binding', (entry) => active.broadcast('App.bindingCalled', entry));
  runtime.on('pageUnload', (pageId: number) => context.elements.forgetPage(pageId));

  const controls: Record<string, unknown> = {};
  const source = runtime.controls as unknown as Record<string, unknown> | null;
  if (source) {
    for (const key of Object.keys(source)) {
      const value = source[key];
      if (typeof value === 'function')
        controls[key] = (value as (...a: unknown[]) => unknown).bind(source);
    }
  }
  return {
    ...(controls as Partial<SimulatorControls>),
    wsEndpoint: `ws://127.0.0.1:${active.port}`,
    port: active.port,
    controls: runtime.controls,
    runtime,
    timings: runtime.timings,
    sendToBackground: () => runtime.sendToBackground(),
    bringToForeground: (launch) => runtime.bringToForeground(launch),
    chrome: () => runtime.chrome,
    close,
  };
}

/** The Chromium rendering path when enabled (loaded only then: it is the heavy part). */
async function attachRendering(
  runtime: MiniProgramRuntime,
  options: SimulatorOptions,
): Promise<PageRendering | null> {
  const env = process.env.MP_SIM_RENDER;
  if (!(options.render ?? (env === '1' || env === 'true'))) return null;
  const { attachRenderer } = await import('./render/attach');
  const windowInfo = (
    runtime.wx.raw('getWindowInfo') as (() => Record<string, unknown>) | undefined
  )?.();
  const appBaseInfo = runtime.wx.raw('getAppBaseInfo') as
    (() => Record<string, unknown>) | undefined;
  return attachRenderer(
    {
      projectPath: runtime.project.root,
      currentPage: () => {
        const page = runtime.currentPage;
        return page ? { node: page.node, route: page.route, scrollTop: page.scrollTop } : null;
      },
      componentManager: (id) => runtime.libraries.componentManager(id),
      scrollOffsetOf: (node) =>
        runtime.tree.tagName(node as ExparserNode) === 'scroll-view'
          ? runtime.builtins.scrollOffset(node as ExparserNode)
          : undefined,
      // Read on every render: a test may switch the phone's theme at any time (setTheme).
      theme: () => (appBaseInfo?.().theme === 'dark' ? 'dark' : 'light'),
      resolveWxFile: runtime.controls
        ? (wxPath) => runtime.controls!.resolvePath(wxPath)
        : undefined,
      windowWidth: typeof windowInfo?.windowWidth === 'number' ? windowInfo.windowWidth : undefined,
      windowHeight:
        typeof windowInfo?.windowHeight === 'number' ? windowInfo.windowHeight : undefined,
      pixelRatio: typeof windowInfo?.pixelRatio === 'number' ? windowInfo.pixelRatio : undefined,
    },
    { render: true, executablePath: options.chromiumPath },
  );
}
