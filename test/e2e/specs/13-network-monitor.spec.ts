/** Scenario 13: the network monitor page shows the counts of the requests the spec made. */
import type Element from 'miniprogram-automator/out/Element';
import { openProducts, PAGE_SIZE, pullToRefresh, ROUTES, waitForProducts } from '../harness/flows';
import { back, go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor, waitForSelector } from '../harness/wait';

const e2e = useE2e();
const REFRESHES = 3;

scenario('13. the monitor counts the requests this spec made', async () => {
  await waitForProducts(await openProducts(e2e.mp), PAGE_SIZE);

  // Start from zero with the monitor's reset button.
  const monitor = await go(e2e.mp, 'navigateTo', ROUTES.monitor);
  const [reset] = await waitForSelector(monitor, '.monitor-reset');
  await reset.tap();
  await waitFor(async () => ((await monitor.$$('.monitor-endpoint')) as Element[]).length === 0, {
    message: 'an empty monitor after reset',
  });
  await back(e2e.mp, ROUTES.products);

  // Fresh loads of the first page, each one reaching the backend.
  const before = (await e2e.backend.stats()).requests['GET /api/products'];
  for (let i = 1; i <= REFRESHES; i++) {
    await pullToRefresh(e2e);
    await waitFor(
      async () => (await e2e.backend.stats()).requests['GET /api/products'] - before === i,
      { message: `refresh ${i} to reach the backend` },
    );
  }

  // The monitor shows what the app measured; its refresh button re-reads it (a request still
  // finishing in the app shows up there a moment later).
  const shown = await go(e2e.mp, 'navigateTo', ROUTES.monitor);
  const [refresh] = await waitForSelector(shown, '.monitor-refresh');
  const row = await waitFor(
    async () => {
      await refresh.tap();
      for (const element of (await shown.$$('.monitor-endpoint')) as Element[]) {
        if (!/\/api\/products$/.test(await element.attribute('data-endpoint'))) continue;
        return (await element.attribute('data-count')) === String(REFRESHES) ? element : undefined;
      }
      return undefined;
    },
    { message: `a monitor row for /api/products counting ${REFRESHES}` },
  );
  expect(await row.text()).toContain(String(REFRESHES));
  await back(e2e.mp, ROUTES.products);
});
