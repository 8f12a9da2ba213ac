/** Scenario 2: infinite scroll — pages 2 and 3 append without gaps or duplicates; "no more". */
import type Page from 'miniprogram-automator/out/Page';
import {
  backendProductIds,
  freshProducts,
  openProducts,
  PAGE_SIZE,
  productIds,
  waitForProducts,
} from '../harness/flows';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor, waitForSelector } from '../harness/wait';

const e2e = useE2e();

/** What reaching the bottom of the page does: the page's onReachBottom. */
async function reachBottom(page: Page): Promise<void> {
  await page.callMethod('onReachBottom');
}

/** Taps a category tab and waits until it shows as the chosen one. */
async function chooseCategory(page: Page, category: string): Promise<void> {
  const selector = `.category-tab[data-category="${category}"]`;
  const [tab] = await waitForSelector(page, selector);
  await tab.tap();
  await waitForSelector(page, `${selector}.category-tab--active`);
}

scenario('2a. ONE reaching the bottom loads page 2, then page 3, in order', async () => {
  // The first page's revalidation is slowed down, so the first reach-bottom happens while it is
  // in flight: the race of issue 6, where a reach-bottom right after the list opened was lost.
  await e2e.backend.addFault({
    match: { method: 'GET', pathPrefix: '/api/products' },
    action: { kind: 'delay', ms: 1500 },
    count: 1,
  });
  const page = await freshProducts(e2e.mp);
  expect(await waitForProducts(page, PAGE_SIZE)).toHaveLength(PAGE_SIZE);

  // Exactly one reach-bottom per page: no "scroll again" (the bug, if back, fails here).
  await reachBottom(page);
  await waitForProducts(page, 2 * PAGE_SIZE);
  // The list is still two pages once the slowed first page has answered.
  await waitFor(async () => !(await page.data('loadingMore')), {
    message: 'page 2 to finish loading',
  });
  await reachBottom(page);
  const ids = await waitForProducts(page, 3 * PAGE_SIZE);

  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(await backendProductIds(e2e, { current: 1, pageSize: PAGE_SIZE }, 3));
  expect(await page.$('.no-more')).toBeNull();
});

scenario('2b. a short category ends with "no more" after its last item', async () => {
  // The backend seeds the category 'rare' with fewer items than one page.
  const expected = await backendProductIds(e2e, { current: 1, pageSize: 50, category: 'rare' });
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(PAGE_SIZE);

  const page = await openProducts(e2e.mp);
  await chooseCategory(page, 'rare');
  await waitFor(
    async () => {
      const ids = await productIds(page);
      return ids.length === expected.length && ids.every((id, i) => id === expected[i]);
    },
    { message: `the ${expected.length} products of 'rare'` },
  );
  await waitForSelector(page, '.no-more');
  expect(await page.data('hasMore')).toBe(false);

  // Reaching the bottom again asks the backend for nothing more.
  const before = await e2e.backend.stats();
  await reachBottom(page);
  expect(await page.data('loadingMore')).toBe(false);
  const after = await e2e.backend.stats();
  expect(after.requests['GET /api/products']).toBe(before.requests['GET /api/products']);
  expect(await productIds(page)).toEqual(expected);

  // Back to every category: the full first page again, with more to come.
  await chooseCategory(page, 'all');
  await waitForProducts(page, PAGE_SIZE);
  expect(await page.$('.no-more')).toBeNull();
});
