import { ApiFailure, asyncApi } from './async-api';
import { createAnimation } from './animation';
import type { PageInstance } from './page-instance';
import type { Router } from './router';
import type { ChromeState } from './ui-state';

type Listener = (...args: unknown[]) => unknown;
export type AppEventName = 'appShow' | 'appHide' | 'error' | 'unhandledRejection' | 'pageNotFound';

/** What the runtime's wx APIs need from the runtime. */
export interface RuntimeApiHost {
  router: Router;
  chrome: ChromeState;
  launchOptions(): Record<string, unknown>;
  enterOptions(): Record<string, unknown>;
  listeners: Record<AppEventName, Listener[]>;
  createSelectorQuery(): unknown;
  createIntersectionObserver(component?: unknown, options?: unknown): unknown;
  /** Scroll the current page (fires onPageScroll). */
  scrollPage(scrollTop: number): void;
  /** Fire the current page's onPullDownRefresh as the gesture would. */
  startPullDownRefresh(): void;
  adopt<T>(value: T): T;
  report(error: unknown): void;
}

/**
 * The wx APIs that belong to the runtime rather than to the phone's services: routing, the view
 * (selectors, scrolling, animation), screen chrome and app-level events.
 */
export function createRuntimeApis(
  host: RuntimeApiHost,
): Record<string, (...args: unknown[]) => unknown> {
  const api = (
    name: string,
    impl: (
      params: Record<string, unknown>,
    ) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void,
  ) => asyncApi(name, async (params) => (await impl(params)) ?? undefined, host.adopt, host.report);
  const currentTabIndex = (name: string, params: Record<string, unknown>): number => {
    const tabBar = host.chrome.tabBar;
    const current = host.router.current;
    if (!tabBar || !current || !host.router.isTab(current.route))
      throw new ApiFailure('not TabBar page');
    const index = params.index;
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= tabBar.items.length
    ) {
      throw new ApiFailure(`tabbar item not found`);
    }
    void name;
    return index;
  };
  const on = (event: AppEventName) => (fn: unknown) => {
    if (typeof fn !== 'function') throw new TypeError(`${event} listener must be a function`);
    host.listeners[event].push(fn as Listener);
  };
  const off = (event: AppEventName) => (fn?: unknown) => {
    host.listeners[event] = fn ? host.listeners[event].filter((item) => item !== fn) : [];
  };

  return {
    navigateTo: api('navigateTo', (p) => host.router.navigateTo(p.url, p.events)),
    redirectTo: api('redirectTo', (p) => host.router.redirectTo(p.url)),
    reLaunch: api('reLaunch', (p) => host.router.reLaunch(p.url)),
    switchTab: api('switchTab', (p) => host.router.switchTab(p.url)),
    navigateBack: api('navigateBack', (p) => host.router.navigateBack(p.delta)),
    nextTick: (fn: unknown) => {
      if (typeof fn !== 'function') throw new TypeError('wx.nextTick expects a function');
      Promise.resolve().then(() => {
        try {
          (fn as Listener)();
        } catch (error) {
          host.report(error);
        }
      });
    },
    pageScrollTo: api('pageScrollTo', (p) => {
      if (p.scrollTop === undefined && p.selector === undefined)
        throw new ApiFailure('scrollTop or selector is required');
      host.scrollPage(typeof p.scrollTop === 'number' ? p.scrollTop : 0);
    }),
    startPullDownRefresh: api('startPullDownRefresh', () => host.startPullDownRefresh()),
    stopPullDownRefresh: api('stopPullDownRefresh', () => {
      host.chrome.pullDownRefreshing = false;
    }),
    setNavigationBarTitle: api('setNavigationBarTitle', (p) => {
      if (typeof p.title !== 'string') throw new ApiFailure('parameter.title should be String');
      host.chrome.navigationBar.title = p.title;
    }),
    setNavigationBarColor: api('setNavigationBarColor', (p) => {
      if (p.frontColor !== '#ffffff' && p.frontColor !== '#000000') {
        throw new ApiFailure('invalid frontColor "' + String(p.frontColor) + '"');
      }
      host.chrome.navigationBar.frontColor = p.frontColor;
      if (typeof p.backgroundColor === 'string')
        host.chrome.navigationBar.backgroundColor = p.backgroundColor;
    }),
    showNavigationBarLoading: api('showNavigationBarLoading', () => {
      host.chrome.navigationBar.loading = true;
    }),
    hideNavigationBarLoading: api('hideNavigationBarLoading', () => {
      host.chrome.navigationBar.loading = false;
    }),
    hideHomeButton: api('hideHomeButton', () => undefined),
    setBackgroundColor: api('setBackgroundColor', (p) => {
      Object.assign(host.chrome.backgroundColor, p);
    }),
    setBackgroundTextStyle: api('setBackgroundTextStyle', () => undefined),
    setTabBarBadge: api('setTabBarBadge', (p) => {
      const index = currentTabIndex('setTabBarBadge', p);
      (host.chrome.tabBar as NonNullable<ChromeState['tabBar']>).items[index].badge = String(
        p.text ?? '',
      );
    }),
    removeTabBarBadge: api('removeTabBarBadge', (p) => {
      const index = currentTabIndex('removeTabBarBadge', p);
      (host.chrome.tabBar as NonNullable<ChromeState['tabBar']>).items[index].badge = null;
    }),
    showTabBarRedDot: api('showTabBarRedDot', (p) => {
      const index = currentTabIndex('showTabBarRedDot', p);
      (host.chrome.tabBar as NonNullable<ChromeState['tabBar']>).items[index].redDot = true;
    }),
    hideTabBarRedDot: api('hideTabBarRedDot', (p) => {
      const index = currentTabIndex('hideTabBarRedDot', p);
      (host.chrome.tabBar as NonNullable<ChromeState['tabBar']>).items[index].redDot = false;
    }),
    setTabBarItem: api('setTabBarItem', (p) => {
      const index = currentTabIndex('setTabBarItem', p);
      const item = (host.chrome.tabBar as NonNullable<ChromeState['tabBar']>).items[index];
      if (typeof p.text === 'string') item.text = p.text;
      if (typeof p.iconPath === 'string') item.iconPath = p.iconPath;
      if (typeof p.selectedIconPath === 'string') item.selectedIconPath = p.selectedIconPath;
    }),
    setTabBarStyle: api('setTabBarStyle', (p) => {
      if (!host.chrome.tabBar) throw new ApiFailure('not TabBar page');
      Object.assign(host.chrome.tabBar.style, p);
    }),
    showTabBar: api('showTabBar', () => {
      if (!host.chrome.tabBar) throw new ApiFailure('not TabBar page');
      host.chrome.tabBar.visible = true;
    }),
    hideTabBar: api('hideTabBar', () => {
      if (!host.chrome.tabBar) throw new ApiFailure('not TabBar page');
      host.chrome.tabBar.visible = false;
    }),
    getLaunchOptionsSync: () => host.adopt(host.launchOptions()),
    getEnterOptionsSync: () => host.adopt(host.enterOptions()),
    onAppShow: on('appShow'),
    offAppShow: off('appShow'),
    onAppHide: on('appHide'),
    offAppHide: off('appHide'),
    onError: on('error'),
    offError: off('error'),
    onUnhandledRejection: on('unhandledRejection'),
    offUnhandledRejection: off('unhandledRejection'),
    onPageNotFound: on('pageNotFound'),
    offPageNotFound: off('pageNotFound'),
    createSelectorQuery: () => host.createSelectorQuery(),
    createIntersectionObserver: (component?: unknown, options?: unknown) =>
      host.createIntersectionObserver(component, options),
    createAnimation: (options?: unknown) =>
      createAnimation(
        options && typeof options === 'object' ? (options as Record<string, unknown>) : {},
      ),
  };
}

export type { PageInstance };
