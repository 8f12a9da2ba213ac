import { EventEmitter } from 'events';
import fs from 'fs';
import os from 'os';
import path from 'path';
import crypto from 'crypto';
import { loadProject, type Project } from '../project/project';
import { Sandbox } from '../sandbox/sandbox';
import { compileTemplates } from './templates';
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
import { createRuntimeApis } from './runtime-apis';
import { createSelectorQuery, type LayoutRect } from './selector-query';
import { createIntersectionObserver } from './intersection-observer';
import type { ChromeState } from './ui-state';
import { AppHost, type LaunchOptionsInput } from './app-host';
import { createAppConsole, toLoggable } from './app-console';
import { initialChrome, navigationBarFor, pageConfig } from './page-config';
import { fallbackApis } from './fallback-apis';
import { formatError } from './format-error';
import { watchRejections } from './rejection-hub';
import { BuiltinBehaviour } from '../builtins/builtin-behaviour';
import type { BuiltinHooks } from '../builtins/builtin-components';
import { Gestures } from '../dom/gestures';

export type { LaunchOptionsInput };

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
  /** Set by the simulator when pages are rendered: real boxes for selector queries. */
  layout: { boundingClientRect(node: ExparserNode): Promise<LayoutRect> } | null = null;
  private readonly builtinHooks: BuiltinHooks = {};
  private readonly wxInstance: WxInstance | null;
  private readonly timers: AppTimers;
  private readonly loader: ModuleLoader;
  private readonly registry: ComponentRegistry;
  private readonly lifecycle: PageLifecycle;
  private readonly app: AppHost;
  private inBackground = false;
  /** Ids of agreePrivacyAuthorization buttons the user tapped (WeChat checks resolve's buttonId). */
  private readonly tappedAgreeButtons = new Set<string>();
  private wxss: Promise<WxssBundle> | null = null;
  private closed = false;
  private readonly stopWatchingRejections: () => void;

  constructor(private readonly options: MiniProgramOptions) {
    super();
    const started = Date.now();
    this.project = loadProject(options.projectPath);
    this.sandbox = new Sandbox(`miniprogram:${path.basename(this.project.root)}`);
    this.timers = new AppTimers((error) => this.reportError(error));
    this.app = new AppHost({
      sandbox: this.sandbox,
      guard: (what, fn) => this.guard(what, fn),
      log: (type, args) => this.log(type, args),
    });
    const sandboxConsole = createAppConsole(this.sandbox, (type, args) => this.log(type, args));
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
    this.libraries.exparser.addGlobalWarningListener((message) => {
      this.log('warn', [message]);
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
      agreePrivacy: (buttonId) => this.agreePrivacyFromButton(buttonId),
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
      (value) => this.sandbox.copyIn(value),
    );

    const compileStarted = Date.now();
    const gwx = compileTemplates(this.project, this.sandbox);
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
      this.app.notifyPageNotFound(target.route, target.query, isEntryPage),
    );
    this.chrome = initialChrome(this.project, () => this.router?.current?.navigationBar);

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
      launchOptions: () => this.app.launchOptions,
      enterOptions: () => this.app.enterOptions,
      listeners: this.app.listeners,
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

    this.stopWatchingRejections = watchRejections((reason, promise) =>
      this.handleRejection(reason, promise),
    );

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
    return this.app.instance();
  }

  getLaunchOptions(): Record<string, unknown> {
    return { ...this.app.launchOptions };
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
    this.app.hide();
    // As on a phone: network calls still running 5 s later end with `interrupted`.
    this.controls?.setBackground(true);
  }

  /** The user comes back: App.onShow(options), wx.onAppShow, page onShow. */
  bringToForeground(options: LaunchOptionsInput = {}): void {
    if (!this.inBackground) return;
    this.inBackground = false;
    this.controls?.setBackground(false);
    const current = this.currentPage;
    this.app.show({
      path: options.path ?? current?.route ?? this.app.launchOptions.path,
      query: options.query ?? current?.query ?? {},
      scene: options.scene ?? 1089,
      referrerInfo: options.referrerInfo ?? {},
      apiCategory: 'default',
    });
    if (current) this.lifecycle.show(current);
  }

  get isInBackground(): boolean {
    return this.inBackground;
  }

  /** The user taps a tab bar item: switchTab, then the tab page's onTabItemTap. */
  async tapTabBarItem(url: unknown): Promise<void> {
    await this.router.switchTab(url);
    const page = this.requireCurrentPage();
    const items = this.chrome.tabBar?.items ?? [];
    const index = items.findIndex((item) => item.pagePath.replace(/^\/+/, '') === page.route);
    const item = items[index];
    this.guard(`${page.route} onTabItemTap`, () =>
      page.call(
        'onTabItemTap',
        this.sandbox.copyIn({ index, pagePath: page.route, text: item?.text ?? '' }),
      ),
    );
  }

  /** The user scrolls the page to the bottom: onReachBottom. */
  reachBottom(): void {
    const page = this.requireCurrentPage();
    this.guard(`${page.route} onReachBottom`, () => page.call('onReachBottom'));
  }

  /** The user pulls the page down: onPullDownRefresh (only where the page enables it). */
  pullDownRefresh(): void {
    const page = this.requireCurrentPage();
    if (!pageConfig(this.project, page.route).enablePullDownRefresh) {
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
    this.app.notifyError(stack);
  }

  log(type: WxLogType, args: unknown[]): void {
    const entry: LogEntry = { type, args: args.map(toLoggable) };
    this.emit('log', entry);
    if (this.options.echoConsole) {
      process.stderr.write(`[app ${type}] ${entry.args.map(String).join(' ')}\n`);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopWatchingRejections();
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
          checkPrivacyButton: (buttonId) =>
            buttonId !== undefined && this.tappedAgreeButtons.has(buttonId),
        },
        this.options.wx ?? {},
      );
    } catch (error) {
      this.log('warn', [`wx APIs unavailable (${formatError(error).message}); runtime APIs only`]);
      return null;
    }
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
    sandbox.defineGlobal('App', sandbox.wrap(this.app.register));
    sandbox.defineGlobal('getApp', sandbox.wrap(this.app.get));
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
    page.navigationBar = navigationBarFor(this.project, page.route);
    const caller = page.caller;
    caller.route = page.route;
    caller.__route__ = page.route;
    caller.options = this.sandbox.copyIn({ ...page.query });
    caller.getOpenerEventChannel = this.sandbox.wrap(() => page.eventChannel);
    caller.getPageId = this.sandbox.wrap(() => `pageId:${page.pageId}`);
  }

  private launch(input: LaunchOptionsInput): void {
    const appJs = path.join(this.project.root, 'app.js');
    if (fs.existsSync(appJs)) this.loader.load(appJs);
    const route = (input.path ?? this.project.entryRoute).replace(/^\/+/, '').split('?')[0];
    this.app.launch(route, input);
    this.router.launch(route, { ...(input.query ?? {}) });
  }

  /** An unhandled rejection anywhere in the process: ours if the promise is the app's. */
  private handleRejection(reason: unknown, promise: Promise<unknown>): boolean {
    if (!(promise instanceof this.sandbox.Promise)) return false;
    const handled = this.app.notifyRejection(reason, promise);
    const { message, stack } = formatError(reason);
    this.log('error', [`Unhandled promise rejection: ${stack}`]);
    if (!handled) {
      this.emit('exception', { message: `Unhandled promise rejection: ${message}`, stack });
    }
    return true;
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

  /** The user tapped an agreePrivacyAuthorization button: agreed, and waiting calls go on. */
  private agreePrivacyFromButton(buttonId: string): void {
    if (buttonId) this.tappedAgreeButtons.add(buttonId);
    this.controls?.agreePrivacy();
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
        rect: this.layout
          ? (node) => (this.layout as NonNullable<typeof this.layout>).boundingClientRect(node)
          : undefined,
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
