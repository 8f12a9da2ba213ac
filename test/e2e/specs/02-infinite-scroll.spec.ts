/** Scenario 2: infinite scroll — pages 2 and 3 append without gaps or duplicates; "no more". */
import type Page from 'miniprogram-automator/out/Page';
import type { InputElement } from 'miniprogram-automator/out/Element';
import {
  backendProductIds,
  freshProducts,
  openProducts,
  PAGE_SIZE,
  productIds,
  scrollUntil,
  waitForProducts,
} from '../harness/flows';
import { scenario, useE2e } from '../harness/scenario';
import { waitForSelector } from '../harness/wait';

const e2e = useE2e();

/** What reaching the bottom of the page does: the page's onReachBottom. */
async function reachBottom(page: Page): Promise<void> {
  await page.callMethod('onReachBottom');
}

scenario('2a. reaching the bottom loads page 2, then page 3, in order', async () => {
  const page = await freshProducts(e2e.mp);
  expect(await waitForProducts(page, PAGE_SIZE)).toHaveLength(PAGE_SIZE);

  await scrollUntil(page, 2 * PAGE_SIZE);
  const ids = await scrollUntil(page, 3 * PAGE_SIZE);

  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(await backendProductIds(e2e, { current: 1, pageSize: PAGE_SIZE }, 3));
  expect(await page.$('.no-more')).toBeNull();
});

scenario('2b. a short result list ends with "no more" after its last item', async () => {
  // The list has no category filter; the search "Prototype" matches only items of the short
  // 'rare' category, fewer than one page.
  const expected = await backendProductIds(e2e, { current: 1, pageSize: 50, q: 'Prototype' });
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(PAGE_SIZE);

  const page = await openProducts(e2e.mp);
  const [search] = (await waitForSelector(page, '.search-input')) as InputElement[];
  await search.input('Prototype');
  await waitForSelector(page, '.no-more');
  expect(await productIds(page)).toEqual(expected);

  // Reaching the bottom again asks the backend for nothing more.
  const before = await e2e.backend.stats();
  await reachBottom(page);
  await page.data('list');
  const after = await e2e.backend.stats();
  expect(after.requests['GET /api/products']).toBe(before.requests['GET /api/products']);

  await search.input('');
  await waitForProducts(page, PAGE_SIZE);
});
