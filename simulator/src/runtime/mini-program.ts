import { EventEmitter } from 'events';
import fs from 'fs';
import os from 'os';
import path from 'path';
import crypto from 'crypto';
import vm from 'vm';
import { loadProject, type Project } from '../project/project';
import { Sandbox } from '../sandbox/sandbox';
import { compileWxml } from '../compile/wcc';
import { templateClosure } from '../compile/template-closure';
import { compileWxss, type WxssBundle } from '../render/wcsc';
import { listSourceFiles } from '../compile/source-files';
import { TreeView } from '../dom/tree';
import { SelectorEngine } from '../dom/selector';
import { Serializer } from '../dom/serialize';
import { createWx, type WxInstance, type WxLogType, type WxOptions } from '../wx';
import type { SimulatorControls } from '../wx';
import { loadViewLibraries, type ViewLibraries } from './view-libraries';
import { ModuleLoader } from './module-loader';
import { ComponentRegistry } from './component-registry';
import { PageLifecycle } from './page-lifecycle';
import { Router } from './router';
import type { PageInstance } from './page-instance';
import type { ExparserNode, MethodCaller } from './exparser-types';
import { AppTimers } from './app-timers';
import { SandboxWx } from './sandbox-wx';
import { createRuntimeApis, type AppEventName } from './runtime-apis';
import { createSelectorQuery } from './selector-query';
import { createIntersectionObserver } from './intersection-observer';
import type { ChromeState, NavigationBarState } from './ui-state';
import { fallbackApis } from './fallback-apis';
import { formatError } from './format-error';
import { BuiltinBehaviour } from '../builtins/builtin-behaviour';
import type { BuiltinHooks } from '../builtins/builtin-components';
import { Gestures } from '../dom/gestures';

export interface LaunchOptionsInput {
  /** Entry page route (default: app.json entryPagePath or the first page). */
  path?: string;
  query?: Record<string, string>;
  /** Default 1001 (entered from the chat list). */
  scene?: number;
  referrerInfo?: Record<string, unknown>;
}

export interface MiniProgramOptions {
  /** Folder DevTools opens (project.config.json, or app.json directly). */
  projectPath: string;
  launch?: LaunchOptionsInput;
  /** Persistent per-project data (storage, album, user files). Default: under the OS temp dir. */
  dataDir?: string;
  /** Temp files (downloads, chosen media). Default: a fresh dir removed on close. */
  tempDir?: string;
  /** Folder chooseMedia/chooseImage pick from. */
  fixturesDir?: string;
  wx?: WxOptions;
  /** Also print the app's console to the host's stderr. */
  echoConsole?: boolean;
}

export interface LogEntry {
  type: WxLogType;
  args: unknown[];
}

export interface ExceptionEntry {
  message: string;
  stack: string;
}

type Listener = (...args: unknown[]) => unknown;

/**
 * Node's own process object. Under a test runner that gives modules a stand-in `process`
 * (jest), listeners on the stand-in never fire; the main context holds the real one.
 */
const realProcess = vm.runInThisContext('process') as NodeJS.Process;

/**
 * One running mini program: sandbox, view libraries, compiled templates, app and page stack.
 * Events: 'log' (LogEntry), 'exception' (ExceptionEntry), 'binding' ({ name, args }),
 * 'pageUnload' (pageId).
 */
export class MiniProgramRuntime extends EventEmitter {
  readonly project: Project;
  readonly sandbox: Sandbox;
  readonly libraries: ViewLibraries;
  readonly tree: TreeView;
  readonly selectors: SelectorEngine;
  readonly serializer: Serializer;
  readonly router: Router;
  readonly wx: SandboxWx;
  readonly controls: SimulatorControls | null;
  readonly chrome: ChromeState;
  readonly timings: Record<string, number> = {};
  readonly tempDir: string;
  readonly builtins: BuiltinBehaviour;
  readonly gestures: Gestures;
  private readonly builtinHooks: BuiltinHooks = {};
  private readonly wxInstance: WxInstance | null;
  private readonly timers: AppTimers;
  private readonly loader: ModuleLoader;
  private readonly registry: ComponentRegistry;
  private readonly lifecycle: PageLifecycle;
  private readonly appListeners: Record<AppEventName, Listener[]> = {
    appShow: [],
    appHide: [],
    error: [],
    unhandledRejection: [],
    pageNotFound: [],
  };
  private app: Record<string, unknown> | null = null;
  private appIsDefault = false;
  private launchOptions: Record<string, unknown> = {};
  private enterOptions: Record<string, unknown> = {};
  private inBackground = false;
  private reportingError = false;
  private wxss: Promise<WxssBundle> | null = null;
  private closed = false;
  private readonly onProcessRejection: (reason: unknown, promise: Promise<unknown>) => void;

  constructor(private readonly options: MiniProgramOptions) {
    super();
    const started = Date.now();
    this.project = loadProject(options.projectPath);
    this.sandbox = new Sandbox(`miniprogram:${path.basename(this.project.root)}`);
    this.timers = new AppTimers((error) => this.reportError(error));
    const sandboxConsole = this.createConsole();
    this.libraries = loadViewLibraries(
      this.sandbox,
      {
        console: sandboxConsole,
        setTimeout: this.sandbox.wrap(this.timers.setTimeout),
        clearTimeout: this.sandbox.wrap(this.timers.clearTimeout),
        setInterval: this.sandbox.wrap(this.timers.setInterval),
        clearInterval: this.sandbox.wrap(this.timers.clearInterval),
      },
      this.builtinHooks,
    );
    this.timings.librariesMs = Date.now() - started;
    this.libraries.exparser.addGlobalErrorListener((error) => {
      this.reportError(error);
      return false;
    });
    this.tree = new TreeView(this.libraries.exparser);
    this.selectors = new SelectorEngine(this.tree);
    this.serializer = new Serializer(this.tree);
    this.builtins = new BuiltinBehaviour({
      tree: this.tree,
      root: this.project.root,
      setProperty: (node, name, value) =>
        this.callerOf(node).setData({ [name]: this.sandbox.copyIn(value) }),
      fire: (node, name, detail) =>
        this.guard(`${name} event`, () => node.triggerEvent(name, this.sandbox.copyIn(detail))),
      navigate: (openType, url, delta) => this.navigateFromNavigator(openType, url, delta),
      resolveWxPath: (src) => this.resolveWxPath(src),
      report: (error) => this.reportError(error),
    });
    this.builtinHooks.imageSourceChanged = (node, src) =>
      this.builtins.imageSourceChanged(node, src);
    this.gestures = new Gestures(
      this.libraries.exparser,
      this.tree,
      (target) => this.builtins.isDisabled(target),
      (target) => this.builtins.afterTap(target),
    );

    const compileStarted = Date.now();
    const gwx = this.compileTemplates();
    this.timings.wccMs = Date.now() - compileStarted;

    this.loader = new ModuleLoader(this.sandbox, this.project.root);
    const instanceBehavior = this.libraries.jc.behavior({
      lifetimes: { created: this.instanceCreated(), attached: this.instanceAttached() },
    });
    this.registry = new ComponentRegistry({
      project: this.project,
      sandbox: this.sandbox,
      libraries: this.libraries,
      loader: this.loader,
      template: (route) =>
        fs.existsSync(path.join(this.project.root, `${route}.wxml`))
          ? gwx(`${route}.wxml`)
          : undefined,
      instanceBehavior,
    });
    this.lifecycle = new PageLifecycle({
      libraries: this.libraries,
      registry: this.registry,
      tree: this.tree,
      guard: (what, fn) => this.guard(what, fn),
      decorate: (page) => this.decoratePage(page),
      unloaded: (page) => this.emit('pageUnload', page.pageId),
      adopt: (value) => this.sandbox.copyIn(value),
    });
    this.router = new Router(this.project, this.lifecycle, (target, isEntryPage) =>
      this.pageNotFound(target.route, target.query, isEntryPage),
    );
    this.chrome = this.initialChrome();

    const dataDir =
      options.dataDir ??
      path.join(
        os.tmpdir(),
        'wechat-devtools-sim',
        crypto.createHash('sha1').update(this.project.root).digest('hex').slice(0, 12),
      );
    fs.mkdirSync(dataDir, { recursive: true });
    if (options.tempDir) fs.mkdirSync(options.tempDir, { recursive: true });
    this.tempDir =
      options.tempDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wechat-devtools-sim-tmp-'));
    this.wxInstance = this.createWxInstance(dataDir);
    this.controls = this.wxInstance?.controls ?? null;
    const runtimeApis = createRuntimeApis({
      router: this.router,
      chrome: this.chrome,
      launchOptions: () => this.launchOptions,
      enterOptions: () => this.enterOptions,
      listeners: this.appListeners,
      createSelectorQuery: () => this.selectorQuery(),
      createIntersectionObserver: (component, opts) => this.intersectionObserver(component, opts),
      scrollPage: (top) => this.scrollPage(top),
      startPullDownRefresh: () => this.startPullDownRefresh(),
      adopt: (value) => this.sandbox.copyIn(value),
      report: (error) => this.reportError(error),
    });
    const merged: Record<string, unknown> = {
      ...fallbackApis(this.wxInstance !== null),
      ...(this.wxInstance?.apis ?? {}),
      ...runtimeApis,
    };
    this.wx = new SandboxWx(this.sandbox, this.wxInstance ? this.wxInstance.wrap(merged) : merged);
    this.defineGlobals(sandboxConsole);

    this.onProcessRejection = (reason, promise) => this.handleRejection(reason, promise);
    realProcess.on('unhandledRejection', this.onProcessRejection);

    const launchStarted = Date.now();
    this.launch(options.launch ?? {});
    this.timings.launchMs = Date.now() - launchStarted;
    this.timings.startMs = Date.now() - started;
  }

  // ---------------------------------------------------------------- queries

  get pages(): PageInstance[] {
    return [...this.router.stack];
  }

  get currentPage(): PageInstance | null {
    return this.router.current;
  }

  pageById(pageId: unknown): PageInstance {
    const page = this.router.findPage(Number(pageId));
    if (!page) throw new Error(`page ${String(pageId)} is not open (it was unloaded)`);
    return page;
  }

  appInstance(): Record<string, unknown> | null {
    return this.app;
  }

  getLaunchOptions(): Record<string, unknown> {
    return { ...this.launchOptions };
  }

  /** Every stylesheet compiled by the official wcsc, on first request (for rendering). */
  compiledWxss(): Promise<WxssBundle> {
    this.wxss ??= compileWxss(this.project.root, listSourceFiles(this.project.root, ['.wxss']));
    return this.wxss;
  }

  // ---------------------------------------------------------------- controls

  /** The user leaves the app (home button): page onHide, App.onHide, wx.onAppHide. */
  sendToBackground(): void {
    if (this.inBackground) return;
    this.inBackground = true;
    const page = this.currentPage;
    if (page) this.lifecycle.hide(page);
    this.guard('App.onHide', () => this.callApp('onHide'));
    for (const fn of [...this.appListeners.appHide]) this.guard('onAppHide', () => fn());
  }

  /** The user comes back: App.onShow(options), wx.onAppShow, page onShow. */
  bringToForeground(options: LaunchOptionsInput = {}): void {
    if (!this.inBackground) return;
    this.inBackground = false;
    const current = this.currentPage;
    this.enterOptions = this.sandbox.copyIn({
      path: options.path ?? current?.route ?? this.launchOptions.path,
      query: options.query ?? current?.query ?? {},
      scene: options.scene ?? 1089,
      referrerInfo: options.referrerInfo ?? {},
      apiCategory: 'default',
    });
    this.guard('App.onShow', () => this.callApp('onShow', this.sandbox.copyIn(this.enterOptions)));
    for (const fn of [...this.appListeners.appShow]) {
      this.guard('onAppShow', () => fn(this.sandbox.copyIn(this.enterOptions)));
    }
    if (current) this.lifecycle.show(current);
  }

  get isInBackground(): boolean {
    return this.inBackground;
  }

  /** The user scrolls the page to the bottom: onReachBottom. */
  reachBottom(): void {
    const page = this.requireCurrentPage();
    this.guard(`${page.route} onReachBottom`, () => page.call('onReachBottom'));
  }

  /** The user pulls the page down: onPullDownRefresh (only where the page enables it). */
  pullDownRefresh(): void {
    const page = this.requireCurrentPage();
    if (!this.pageConfig(page.route).enablePullDownRefresh) {
      throw new Error(`${page.route} does not enable pull-down refresh (enablePullDownRefresh)`);
    }
    this.startPullDownRefresh();
  }

  /** wx.startPullDownRefresh: the refresh animation and onPullDownRefresh. */
  startPullDownRefresh(): void {
    const page = this.requireCurrentPage();
    this.chrome.pullDownRefreshing = true;
    this.guard(`${page.route} onPullDownRefresh`, () => page.call('onPullDownRefresh'));
  }

  scrollPage(scrollTop: number): void {
    const page = this.requireCurrentPage();
    page.scrollTop = Math.max(0, scrollTop);
    this.guard(`${page.route} onPageScroll`, () =>
      page.call('onPageScroll', this.sandbox.copyIn({ scrollTop: page.scrollTop })),
    );
  }

  /** Define a global function the app calls to reach the test (App.addBinding). */
  addBinding(name: string): void {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`invalid binding name "${name}"`);
    this.sandbox.defineGlobal(
      name,
      this.sandbox.wrap((...args: unknown[]) => {
        this.emit('binding', { name, args: JSON.parse(JSON.stringify(args ?? [])) as unknown[] });
      }),
    );
  }

  /** Evaluate a function declaration in the app's realm (App.callFunction). */
  async evaluate(functionDeclaration: string, args: unknown[]): Promise<unknown> {
    const fn = this.sandbox.evaluate(`(${functionDeclaration})`, 'automator:callFunction');
    if (typeof fn !== 'function') throw new Error('functionDeclaration is not a function');
    return await (fn as Listener)(...(this.sandbox.copyIn(args) as unknown[]));
  }

  /** Compile a function declaration in the app's realm. */
  compileFunction(functionDeclaration: string): Listener {
    const fn = this.sandbox.evaluate(`(${functionDeclaration})`, 'automator:mock');
    if (typeof fn !== 'function') throw new Error('functionDeclaration is not a function');
    return fn as Listener;
  }

  /** Report an error thrown by app code: App.onError, wx.onError, 'exception' event. */
  reportError(error: unknown): void {
    const { message, stack } = formatError(error);
    this.emit('exception', { message, stack } satisfies ExceptionEntry);
    this.log('error', [stack]);
    if (this.reportingError) return;
    this.reportingError = true;
    try {
      if (this.app && typeof this.app.onError === 'function') {
        try {
          (this.app.onError as Listener).call(this.app, stack);
        } catch (inner) {
          this.log('error', [`App.onError threw: ${formatError(inner).stack}`]);
        }
      }
      for (const fn of [...this.appListeners.error]) {
        try {
          fn(stack);
        } catch (inner) {
          this.log('error', [`wx.onError listener threw: ${formatError(inner).stack}`]);
        }
      }
    } finally {
      this.reportingError = false;
    }
  }

  log(type: WxLogType, args: unknown[]): void {
    const entry: LogEntry = { type, args: args.map(toLoggable) };
    this.emit('log', entry);
    if (this.options.echoConsole)
      process.stderr.write(`[app ${type}] ${entry.args.map(String).join(' ')}\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    realProcess.off('unhandledRejection', this.onProcessRejection);
    try {
      this.router.closeAll();
    } catch {
      // pages may throw while unloading; the app is going away anyway
    }
    this.timers.dispose();
    this.gestures.dispose();
    try {
      this.wxInstance?.dispose();
    } catch (error) {
      this.log('error', [`wx dispose failed: ${formatError(error).message}`]);
    }
    if (!this.options.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
    this.removeAllListeners();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The node behind a page/component `this` (or the node itself). */
  nodeOf(instance: unknown): ExparserNode | null {
    if (!instance || typeof instance !== 'object') return null;
    const node = (instance as { _exparserNode?: ExparserNode })._exparserNode;
    return node ?? (instance as ExparserNode);
  }

  callerOf(node: ExparserNode): MethodCaller {
    return this.libraries.exparser.Element.getMethodCaller(node);
  }

  guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.reportError(error);
      void what;
      return undefined;
    }
  }

  // ---------------------------------------------------------------- set-up

  /**
   * Compiles what the pages can reach (see templateClosure); a template outside that set (a
   * component found only at run time) triggers one full compile.
   */
  private compileTemplates(): (file: string) => unknown {
    const globalUsing = this.project.appJson.usingComponents ?? {};
    let compiled: Set<string> | null = null;
    let gwx: (file: string) => unknown;
    try {
      const files = templateClosure(this.project.root, this.project.routes, globalUsing);
      gwx = this.evaluateWcc(compileWxml(this.project.root, Object.keys(globalUsing), files));
      compiled = new Set(files);
    } catch {
      gwx = this.evaluateWcc(compileWxml(this.project.root, Object.keys(globalUsing)));
    }
    return (file: string) => {
      if (compiled && !compiled.has(file)) {
        compiled = null;
        gwx = this.evaluateWcc(compileWxml(this.project.root, Object.keys(globalUsing)));
      }
      return gwx(file);
    };
  }

  private evaluateWcc(source: string): (file: string) => unknown {
    const view = { __webview_engine_version__: 0.02 };
    // Names wcc assigns without declaring are declared here so they stay out of the app's global.
    const factory = this.sandbox.compileFunction(
      `var $gwx, $gwl, $gwn, wh, cs, env, gra, grb, _y, any1, any2, o, s, __WXML_GLOBAL__;\n${source}\nreturn $gwx;`,
      ['window', '__wxAppCode__', '__vd_version_info__'],
      path.join(this.project.root, '__wcc_output__.js'),
    );
    const gwx = factory(view, {}, {}) as (file: string) => unknown;
    if (typeof gwx !== 'function') throw new Error('wcc output did not define $gwx');
    return gwx;
  }

  private createWxInstance(dataDir: string): WxInstance | null {
    try {
      return createWx(
        {
          projectPath: this.project.root,
          dataDir,
          tempDir: this.tempDir,
          fixturesDir: this.options.fixturesDir,
          log: (type, args) => this.log(type, args),
          appId: this.project.projectConfig.appid,
        },
        this.options.wx ?? {},
      );
    } catch (error) {
      this.log('warn', [`wx APIs unavailable (${formatError(error).message}); runtime APIs only`]);
      return null;
    }
  }

  private createConsole(): Record<string, unknown> {
    const console: Record<string, unknown> = {};
    for (const type of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      console[type] = this.sandbox.wrap((...args: unknown[]) => this.log(type, args));
    }
    console.trace = console.debug;
    console.group = console.log;
    console.groupEnd = this.sandbox.wrap(() => undefined);
    console.time = this.sandbox.wrap(() => undefined);
    console.timeEnd = this.sandbox.wrap(() => undefined);
    console.table = console.log;
    console.assert = this.sandbox.wrap((condition: unknown, ...args: unknown[]) => {
      if (!condition) this.log('error', ['Assertion failed:', ...args]);
    });
    return console;
  }

  private defineGlobals(sandboxConsole: Record<string, unknown>): void {
    const sandbox = this.sandbox;
    sandbox.defineGlobal('wx', this.wx.proxy);
    sandbox.defineGlobal('console', sandboxConsole);
    sandbox.defineGlobal('setTimeout', sandbox.wrap(this.timers.setTimeout));
    sandbox.defineGlobal('clearTimeout', sandbox.wrap(this.timers.clearTimeout));
    sandbox.defineGlobal('setInterval', sandbox.wrap(this.timers.setInterval));
    sandbox.defineGlobal('clearInterval', sandbox.wrap(this.timers.clearInterval));
    sandbox.defineGlobal('Component', sandbox.wrap(this.registry.Component));
    sandbox.defineGlobal('Page', sandbox.wrap(this.registry.Page));
    sandbox.defineGlobal('Behavior', sandbox.wrap(this.registry.Behavior));
    sandbox.defineGlobal(
      'App',
      sandbox.wrap((definition: Record<string, unknown>) => {
        if (this.app && !this.appIsDefault) throw new Error('App() can only be called once');
        if (!definition || typeof definition !== 'object') {
          throw new Error('App() expects an object');
        }
        this.app = this.app ? Object.assign(this.app, definition) : definition;
        this.appIsDefault = false;
      }),
    );
    sandbox.defineGlobal(
      'getApp',
      sandbox.wrap((options?: { allowDefault?: boolean }) => {
        // allowDefault: a placeholder that a later App() merges into (WeChat's behaviour).
        if (!this.app && options?.allowDefault) {
          this.app = sandbox.evaluate('({})') as Record<string, unknown>;
          this.appIsDefault = true;
        }
        return this.app ?? undefined;
      }),
    );
    sandbox.defineGlobal(
      'getCurrentPages',
      sandbox.wrap(() => sandbox.copyIn(this.router.stack.map((page) => page.caller)) as unknown[]),
    );
    sandbox.defineGlobal(
      'requirePlugin',
      sandbox.wrap((name: string) => {
        throw new Error(
          `requirePlugin("${name}"): plugins are not supported by the headless simulator`,
        );
      }),
    );
  }

  /** Behavior `created` run for every page and component: realm-safe setData, selector APIs. */
  private instanceCreated(): (this: MethodCaller) => void {
    const decorate = (self: MethodCaller): void => this.decorateInstance(self);
    return function (this: MethodCaller) {
      decorate(this);
    };
  }

  /**
   * j-component fires `ready` only for what exists when a page first renders; a component added
   * later (wx:if turning true) gets it here, after the update that attached it.
   */
  private instanceAttached(): (this: MethodCaller) => void {
    const later = (self: MethodCaller): void => {
      if (this.lifecycle.isOpening) return;
      const node = (self as { _exparserNode?: ExparserNode })._exparserNode;
      if (node)
        Promise.resolve().then(() => this.guard('ready', () => node.triggerLifeTime('ready')));
    };
    return function (this: MethodCaller) {
      later(this);
    };
  }

  private decorateInstance(self: MethodCaller): void {
    const original = self.setData;
    self.setData = this.sandbox.wrap((data: unknown, callback?: unknown) => {
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        throw new TypeError('setData expects an object');
      }
      original.call(self, this.sandbox.copyIn(data as Record<string, unknown>));
      if (typeof callback === 'function') {
        Promise.resolve().then(() =>
          this.guard('setData callback', () => (callback as Listener).call(self)),
        );
      }
    });
    self.createSelectorQuery = this.sandbox.wrap(() => this.selectorQuery(self));
    self.createIntersectionObserver = this.sandbox.wrap((options?: unknown) =>
      this.intersectionObserver(self, options),
    );
  }

  private decoratePage(page: PageInstance): void {
    page.navigationBar = this.navigationBarFor(page.route);
    const caller = page.caller;
    caller.route = page.route;
    caller.__route__ = page.route;
    caller.options = this.sandbox.copyIn({ ...page.query });
    caller.getOpenerEventChannel = this.sandbox.wrap(() => page.eventChannel);
    caller.getPageId = this.sandbox.wrap(() => `pageId:${page.pageId}`);
  }

  /** app.json `window` overlaid with the page's own json (what WeChat applies to the page). */
  pageConfig(route: string): Record<string, unknown> {
    const own = path.join(this.project.root, `${route}.json`);
    let page: Record<string, unknown> = {};
    if (fs.existsSync(own)) {
      try {
        page = JSON.parse(fs.readFileSync(own, 'utf8')) as Record<string, unknown>;
      } catch {
        page = {};
      }
    }
    return { ...((this.project.appJson.window ?? {}) as Record<string, unknown>), ...page };
  }

  /** The navigation bar a page starts with, from its config. */
  private navigationBarFor(route: string): NavigationBarState {
    const config = this.pageConfig(route);
    return {
      title: String(config.navigationBarTitleText ?? ''),
      frontColor: config.navigationBarTextStyle === 'white' ? '#ffffff' : '#000000',
      backgroundColor: String(config.navigationBarBackgroundColor ?? '#000000'),
      loading: false,
    };
  }

  private initialChrome(): ChromeState {
    const tabBar = this.project.appJson.tabBar;
    const fallback = this.navigationBarFor('app');
    const chrome = {
      tabBar: tabBar
        ? {
            visible: true,
            style: {},
            items: tabBar.list.map((item) => ({
              pagePath: item.pagePath,
              text: item.text ?? '',
              badge: null,
              redDot: false,
            })),
          }
        : null,
      pullDownRefreshing: false,
      backgroundColor: {},
    } as Omit<ChromeState, 'navigationBar'>;
    // Each page has its own bar; the chrome shows the current page's.
    Object.defineProperty(chrome, 'navigationBar', {
      enumerable: true,
      get: () => this.router?.current?.navigationBar ?? fallback,
    });
    return chrome as ChromeState;
  }

  private launch(input: LaunchOptionsInput): void {
    const appJs = path.join(this.project.root, 'app.js');
    if (fs.existsSync(appJs)) this.loader.load(appJs);
    if (!this.app) {
      this.log('warn', ['app.js did not call App(); using an empty app']);
      this.app = this.sandbox.evaluate('({})') as Record<string, unknown>;
    }
    const route = (input.path ?? this.project.entryRoute).replace(/^\/+/, '').split('?')[0];
    this.launchOptions = {
      path: route,
      query: { ...(input.query ?? {}) },
      scene: input.scene ?? 1001,
      referrerInfo: input.referrerInfo ?? {},
      apiCategory: 'default',
      forwardMaterials: [],
    };
    this.enterOptions = { ...this.launchOptions };
    this.guard('App.onLaunch', () =>
      this.callApp('onLaunch', this.sandbox.copyIn(this.launchOptions)),
    );
    this.guard('App.onShow', () => this.callApp('onShow', this.sandbox.copyIn(this.launchOptions)));
    for (const fn of [...this.appListeners.appShow]) {
      this.guard('onAppShow', () => fn(this.sandbox.copyIn(this.launchOptions)));
    }
    this.router.launch(route, { ...(input.query ?? {}) });
  }

  private callApp(method: string, ...args: unknown[]): unknown {
    const fn = this.app?.[method];
    if (typeof fn !== 'function') return undefined;
    return (fn as Listener).apply(this.app, args);
  }

  private pageNotFound(route: string, query: Record<string, string>, isEntryPage: boolean): void {
    const payload = this.sandbox.copyIn({ path: route, query, isEntryPage });
    this.guard('App.onPageNotFound', () => this.callApp('onPageNotFound', payload));
    for (const fn of [...this.appListeners.pageNotFound])
      this.guard('onPageNotFound', () => fn(payload));
  }

  private handleRejection(reason: unknown, promise: Promise<unknown>): void {
    if (!(promise instanceof this.sandbox.Promise)) {
      // Not ours: keep Node's default (crash) when nobody else listens.
      if (realProcess.listenerCount('unhandledRejection') === 1) throw reason;
      return;
    }
    const payload = { reason, promise };
    let handled = false;
    if (this.app && typeof this.app.onUnhandledRejection === 'function') {
      handled = true;
      this.guard('App.onUnhandledRejection', () => this.callApp('onUnhandledRejection', payload));
    }
    for (const fn of [...this.appListeners.unhandledRejection]) {
      handled = true;
      this.guard('onUnhandledRejection', () => fn(payload));
    }
    const { message, stack } = formatError(reason);
    this.log('error', [`Unhandled promise rejection: ${stack}`]);
    if (!handled)
      this.emit('exception', { message: `Unhandled promise rejection: ${message}`, stack });
  }

  private navigateFromNavigator(openType: string, url: string, delta: number): void {
    const router = this.router;
    const run: Record<string, () => Promise<unknown>> = {
      navigate: () => router.navigateTo(url),
      redirect: () => router.redirectTo(url),
      switchTab: () => router.switchTab(url),
      reLaunch: () => router.reLaunch(url),
      navigateBack: () => router.navigateBack(delta),
    };
    const route = run[openType];
    if (!route) {
      this.log('warn', [`navigator open-type "${openType}" is not emulated`]);
      return;
    }
    route().catch((error: unknown) =>
      this.log('error', [`navigator: ${formatError(error).message}`]),
    );
  }

  private resolveWxPath(src: string): string | null {
    if (!/^(http:\/\/(tmp|usr|store)\/|wxfile:\/\/)/.test(src) || !this.controls) return null;
    try {
      return this.controls.resolvePath(src);
    } catch {
      return null;
    }
  }

  private requireCurrentPage(): PageInstance {
    const page = this.currentPage;
    if (!page) throw new Error('no page is open');
    return page;
  }

  private selectorQuery(scope?: unknown): unknown {
    return createSelectorQuery(
      {
        engine: this.selectors,
        tree: this.tree,
        defaultScope: () => this.currentPage?.node.shadowRoot ?? null,
        nodeOf: (instance) => this.nodeOf(instance),
        adopt: (value) => this.sandbox.copyIn(value),
        report: (error) => this.reportError(error),
      },
      scope,
    );
  }

  private intersectionObserver(component: unknown, options: unknown): unknown {
    return createIntersectionObserver({
      engine: this.selectors,
      scope: () => {
        const node = component ? this.nodeOf(component) : (this.currentPage?.node ?? null);
        return node?.shadowRoot ?? node;
      },
      options: options && typeof options === 'object' ? (options as Record<string, unknown>) : {},
      adopt: (value) => this.sandbox.copyIn(value),
      report: (error) => this.reportError(error),
    });
  }
}

function toLoggable(value: unknown): unknown {
  if (
    value instanceof Error ||
    (value && typeof value === 'object' && 'stack' in value && 'message' in value)
  ) {
    return formatError(value).stack;
  }
  if (typeof value === 'function')
    return `[Function ${(value as { name?: string }).name || 'anonymous'}]`;
  try {
    return JSON.parse(JSON.stringify(value ?? null)) as unknown;
  } catch {
    return String(value);
  }
}
