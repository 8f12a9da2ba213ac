/**
 * Steps of this app that several scenarios share, written the way a person uses the app:
 * open a tab, wait until the list shows, read what is on screen. Selectors come from
 * miniprogram/SELECTORS.md.
 */
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import type Page from 'miniprogram-automator/out/Page';
import type Element from 'miniprogram-automator/out/Element';
import { go } from './nav';
import type { E2eContext } from './scenario';
import { waitFor, waitForPage, waitForSelector } from './wait';

export const ROUTES = {
  products: '/pages/products/index',
  chat: '/pages/chat/index',
  album: '/pages/album/index',
  me: '/pages/me/index',
  login: '/pages/login/index',
  monitor: '/pages/monitor/index',
  detail: '/pages/product-detail/index',
} as const;

/** The product list's page size (miniprogram/config.ts). */
export const PAGE_SIZE = 20;

export async function attributes(elements: Element[], name: string): Promise<string[]> {
  return Promise.all(elements.map((element) => element.attribute(name)));
}

/** Ids of the products on screen, in order. */
export async function productIds(page: Page): Promise<string[]> {
  return attributes((await page.$$('.product-item')) as Element[], 'data-id');
}

/** Waits until exactly/at least `count` products are on screen and returns their ids. */
export async function waitForProducts(
  page: Page,
  count: number,
  timeout = 8000,
): Promise<string[]> {
  return waitFor(
    async () => {
      const ids = await productIds(page);
      return ids.length >= count ? ids : undefined;
    },
    { timeout, message: `${count} products on ${page.path}` },
  );
}

/**
 * The pull-down gesture (WeChat shows the indicator and calls onPullDownRefresh); resolves once
 * the app stopped the indicator, i.e. the refresh finished (headless: read from the simulator's
 * chrome; DevTools has no such probe, callers wait on what the refresh changes).
 */
export async function pullToRefresh(e2e: E2eContext): Promise<void> {
  await e2e.mp.callWxMethod('startPullDownRefresh');
  if (!e2e.device.headless) return;
  await waitFor(async () => !(await e2e.device.chrome()).pullDownRefreshing, {
    message: 'the pull-down indicator to stop',
    timeout: 8000,
  });
}

/**
 * Scrolls to the bottom until `count` products show, reaching the bottom again whenever no page
 * is loading and the list is still short, as a person scrolls again when nothing happened.
 * WHY: right after the list opens, a reach-bottom was seen (1 run in ~30) to leave the list at
 * one page with no page-2 request (reported to the app's owner); duplicates or gaps still fail
 * the specs, which compare the ids with the backend's.
 */
export async function scrollUntil(page: Page, count: number): Promise<string[]> {
  return waitFor(
    async () => {
      const ids = await productIds(page);
      if (ids.length >= count) return ids;
      if (!(await page.data('loadingMore'))) await page.callMethod('onReachBottom');
      return undefined;
    },
    { message: `${count} products after scrolling ${page.path}`, timeout: 10_000, interval: 100 },
  );
}

export async function openProducts(mp: MiniProgram): Promise<Page> {
  const page = await go(mp, 'switchTab', ROUTES.products);
  await waitForSelector(page, '.product-item', { timeout: 8000 });
  return page;
}

/** The products tab opened anew (reLaunch): only the first page is on screen, whatever came before. */
export async function freshProducts(mp: MiniProgram): Promise<Page> {
  const page = await go(mp, 'reLaunch', ROUTES.products);
  await waitForSelector(page, '.product-item', { timeout: 8000 });
  return page;
}

/**
 * A cold start on the same phone: the app process is killed and launched again. `freshPhone`
 * clears storage first (a first-ever launch: no session, no cache).
 */
export async function coldStart(e2e: E2eContext, freshPhone: boolean): Promise<Page> {
  if (freshPhone) await e2e.device.clearStorage();
  const mp = await e2e.restartApp();
  return waitForPage(mp, ROUTES.products, { timeout: 8000 });
}

/**
 * The backend's own product ids for a query (ground truth), read as a separate observer user,
 * `pages` pages of `pageSize` (the server caps pageSize at 50). Note: this logs in, so read
 * login counters before calling it.
 */
export async function backendProductIds(
  e2e: E2eContext,
  query: Record<string, string | number>,
  pages = 1,
): Promise<string[]> {
  const { token } = await e2e.backend.login('e2e-observer');
  const ids: string[] = [];
  for (let current = Number(query.current ?? 1); pages > 0; pages--, current++) {
    const search = new URLSearchParams(
      Object.fromEntries(
        Object.entries({ ...query, current }).map(([key, value]) => [key, String(value)]),
      ),
    );
    const page = await e2e.backend.as<{ list: { id: string }[] }>(
      token,
      'GET',
      `/api/products?${search}`,
    );
    ids.push(...page.list.map((product) => product.id));
  }
  return ids;
}

export interface BannerState {
  mode: string;
  pending: number;
  text: string;
}

/** The offline banner of the current page (inside its `offline-banner` component), or null. */
export async function bannerState(page: Page): Promise<BannerState | null> {
  const host = await page.$('offline-banner');
  const banner = host ? await host.$('.offline-banner') : null;
  if (!banner) return null;
  return {
    mode: await banner.attribute('data-mode'),
    pending: Number(await banner.attribute('data-pending')),
    text: await banner.text(),
  };
}

export async function waitForBanner(
  page: Page,
  accept: (state: BannerState | null) => boolean,
  what: string,
  timeout = 8000,
): Promise<BannerState | null> {
  const box = await waitFor(
    async () => {
      const state = await bannerState(page);
      return accept(state) ? { state } : undefined;
    },
    { message: `the offline banner: ${what}`, timeout },
  );
  return box.state;
}
