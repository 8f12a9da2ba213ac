import type { Sandbox } from '../sandbox/sandbox';
import type { WxLogType } from '../wx';
import { formatError } from './format-error';
import type { AppEventName } from './runtime-apis';

type Listener = (...args: unknown[]) => unknown;

export interface LaunchOptionsInput {
  /** Entry page route (default: app.json entryPagePath or the first page). */
  path?: string;
  query?: Record<string, string>;
  /** Default 1001 (entered from the chat list). */
  scene?: number;
  referrerInfo?: Record<string, unknown>;
}

export interface AppHostDeps {
  sandbox: Sandbox;
  guard<T>(what: string, fn: () => T): T | undefined;
  log(type: WxLogType, args: unknown[]): void;
}

/**
 * The App() instance and app-level events: launch/enter options, App.onLaunch/onShow/onHide,
 * App.onError/onUnhandledRejection/onPageNotFound and their wx.on* listeners.
 */
export class AppHost {
  readonly listeners: Record<AppEventName, Listener[]> = {
    appShow: [],
    appHide: [],
    error: [],
    unhandledRejection: [],
    pageNotFound: [],
  };
  launchOptions: Record<string, unknown> = {};
  enterOptions: Record<string, unknown> = {};
  private app: Record<string, unknown> | null = null;
  private isPlaceholder = false;
  private reportingError = false;

  constructor(private readonly deps: AppHostDeps) {}

  /** The `App()` global. */
  register = (definition: Record<string, unknown>): void => {
    if (this.app && !this.isPlaceholder) throw new Error('App() can only be called once');
    if (!definition || typeof definition !== 'object') throw new Error('App() expects an object');
    this.app = this.app ? Object.assign(this.app, definition) : definition;
    this.isPlaceholder = false;
  };

  /** The `getApp()` global; `allowDefault` gives a placeholder a later App() merges into. */
  get = (options?: { allowDefault?: boolean }): Record<string, unknown> | undefined => {
    if (!this.app && options?.allowDefault) {
      this.app = this.deps.sandbox.evaluate('({})') as Record<string, unknown>;
      this.isPlaceholder = true;
    }
    return this.app ?? undefined;
  };

  instance(): Record<string, unknown> | null {
    return this.app;
  }

  /** After app.js ran: App.onLaunch, App.onShow and wx.onAppShow with the launch options. */
  launch(route: string, input: LaunchOptionsInput): void {
    if (!this.app) {
      this.deps.log('warn', ['app.js did not call App(); using an empty app']);
      this.app = this.deps.sandbox.evaluate('({})') as Record<string, unknown>;
    }
    this.launchOptions = {
      path: route,
      query: { ...(input.query ?? {}) },
      scene: input.scene ?? 1001,
      referrerInfo: input.referrerInfo ?? {},
      apiCategory: 'default',
      forwardMaterials: [],
    };
    this.enterOptions = { ...this.launchOptions };
    const adopt = () => this.deps.sandbox.copyIn(this.launchOptions);
    this.deps.guard('App.onLaunch', () => this.call('onLaunch', adopt()));
    this.deps.guard('App.onShow', () => this.call('onShow', adopt()));
    for (const fn of [...this.listeners.appShow]) this.deps.guard('onAppShow', () => fn(adopt()));
  }

  /** The app goes to the background: App.onHide, wx.onAppHide. */
  hide(): void {
    this.deps.guard('App.onHide', () => this.call('onHide'));
    for (const fn of [...this.listeners.appHide]) this.deps.guard('onAppHide', () => fn());
  }

  /** The app comes back: App.onShow(options), wx.onAppShow. */
  show(options: Record<string, unknown>): void {
    this.enterOptions = options;
    const adopt = () => this.deps.sandbox.copyIn(this.enterOptions);
    this.deps.guard('App.onShow', () => this.call('onShow', adopt()));
    for (const fn of [...this.listeners.appShow]) this.deps.guard('onAppShow', () => fn(adopt()));
  }

  /** App.onError and wx.onError listeners (a throwing handler is logged, not re-reported). */
  notifyError(stack: string): void {
    if (this.reportingError) return;
    this.reportingError = true;
    try {
      const handlers: Array<[string, Listener]> = [];
      if (this.app && typeof this.app.onError === 'function') {
        handlers.push(['App.onError', (message) => this.call('onError', message)]);
      }
      for (const fn of this.listeners.error) handlers.push(['wx.onError listener', fn]);
      for (const [name, fn] of handlers) {
        try {
          fn(stack);
        } catch (inner) {
          this.deps.log('error', [`${name} threw: ${formatError(inner).stack}`]);
        }
      }
    } finally {
      this.reportingError = false;
    }
  }

  /** App.onUnhandledRejection and its wx listeners; false when nobody listens. */
  notifyRejection(reason: unknown, promise: Promise<unknown>): boolean {
    // Made in the app realm, holding the app's own reason and promise (identity kept).
    const payload = this.deps.sandbox.copyIn({}) as Record<string, unknown>;
    payload.reason = this.deps.sandbox.adopt(reason);
    payload.promise = promise;
    let handled = false;
    if (this.app && typeof this.app.onUnhandledRejection === 'function') {
      handled = true;
      this.deps.guard('App.onUnhandledRejection', () => this.call('onUnhandledRejection', payload));
    }
    for (const fn of [...this.listeners.unhandledRejection]) {
      handled = true;
      this.deps.guard('onUnhandledRejection', () => fn(payload));
    }
    return handled;
  }

  notifyPageNotFound(route: string, query: Record<string, string>, isEntryPage: boolean): void {
    const payload = this.deps.sandbox.copyIn({ path: route, query, isEntryPage });
    this.deps.guard('App.onPageNotFound', () => this.call('onPageNotFound', payload));
    for (const fn of [...this.listeners.pageNotFound]) {
      this.deps.guard('onPageNotFound', () => fn(payload));
    }
  }

  private call(method: string, ...args: unknown[]): unknown {
    const fn = this.app?.[method];
    if (typeof fn !== 'function') return undefined;
    return (fn as Listener).apply(this.app, args);
  }
}
