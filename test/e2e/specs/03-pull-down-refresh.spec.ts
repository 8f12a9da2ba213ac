/** Scenario 3: pull-down refresh reloads page 1 and stops the refresh indicator. */
import {
  openProducts,
  PAGE_SIZE,
  productIds,
  scrollUntil,
  waitForProducts,
} from '../harness/flows';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor } from '../harness/wait';

const e2e = useE2e();

scenario('3. pull-down refresh reloads the first page and stops the indicator', async () => {
  const page = await openProducts(e2e.mp);
  await waitForProducts(page, PAGE_SIZE);
  await scrollUntil(page, 2 * PAGE_SIZE);
  const before = await e2e.backend.stats();

  // The pull-down gesture: WeChat shows the indicator and calls the page's onPullDownRefresh.
  await e2e.mp.callWxMethod('startPullDownRefresh');

  // The list is page 1 again, fetched from the backend (not from cache) ...
  const ids = await waitFor(
    async () => {
      const shown = await productIds(page);
      return shown.length === PAGE_SIZE ? shown : undefined;
    },
    { message: 'the list to be reset to page 1' },
  );
  expect(new Set(ids).size).toBe(PAGE_SIZE);
  const after = await e2e.backend.stats();
  expect(after.requests['GET /api/products'] - (before.requests['GET /api/products'] ?? 0)).toBe(1);
  // ... and the refresh indicator stopped.
  if (e2e.device.headless) {
    await waitFor(async () => !(await e2e.device.chrome()).pullDownRefreshing, {
      message: 'the pull-down indicator to stop',
    });
  }
});
