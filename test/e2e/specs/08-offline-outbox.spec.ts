/**
 * Scenario 8: offline — the banner appears, a favorite is queued, the network returns, the banner
 * hides and the favorite reaches the backend exactly once; also across an app restart.
 */
import type Page from 'miniprogram-automator/out/Page';
import type Element from 'miniprogram-automator/out/Element';
import { openProducts, PAGE_SIZE, ROUTES, waitForBanner, waitForProducts } from '../harness/flows';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor, waitForPage, waitForSelector } from '../harness/wait';

const e2e = useE2e();

async function favoriteNth(page: Page, index: number): Promise<string> {
  const items = (await waitForSelector(page, '.product-item', { count: index + 1 })) as Element[];
  const id = await items[index].attribute('data-id');
  const toggle = await items[index].$('.favorite-toggle');
  if (!toggle) throw new Error(`product ${id} has no .favorite-toggle`);
  await toggle.tap();
  return id;
}

interface Delivery {
  applied: number;
  posts: number;
}

async function delivery(): Promise<Delivery> {
  const stats = await e2e.backend.stats();
  return { applied: stats.favoritesApplied, posts: stats.requests['POST /api/favorites'] ?? 0 };
}

/** Online again: the banner hides and the favorite arrives once (one POST, applied once). */
async function backOnlineAndDelivered(page: Page, before: Delivery): Promise<void> {
  await e2e.device.setOnline();
  await waitForBanner(page, (state) => state?.mode !== 'offline', 'no longer offline');
  const after = await waitFor(
    async () => {
      const now = await delivery();
      return now.applied > before.applied ? now : undefined;
    },
    { message: 'the queued favorite to reach the backend', timeout: 8000 },
  );
  expect(after).toEqual({ applied: before.applied + 1, posts: before.posts + 1 });
}

scenario('8a. a favorite made offline is delivered exactly once when back online', async () => {
  const page = await openProducts(e2e.mp);
  await waitForProducts(page, PAGE_SIZE);
  const before = await delivery();

  await e2e.device.setOffline();
  await waitForBanner(page, (state) => state?.mode === 'offline', 'offline');
  const id = await favoriteNth(page, 3);
  // Queued, not sent: the banner counts it.
  const queued = await waitForBanner(page, (state) => state?.pending === 1, 'one queued action');
  expect(queued?.text).toMatch(/1/);
  expect(await delivery()).toEqual(before);

  await backOnlineAndDelivered(page, before);
  // "Sent 1 queued action" for a moment, then the banner hides.
  await waitForBanner(page, (state) => state === null, 'hidden');
  const { token } = await e2e.backend.login('tester');
  const favorites = await e2e.backend.as<{ list: { productId: string }[] }>(
    token,
    'GET',
    '/api/favorites?pageSize=50',
  );
  expect(favorites.list.map((f) => f.productId)).toContain(id);
});

scenario('8b. a favorite queued offline survives an app restart and is sent once', async () => {
  const page = await openProducts(e2e.mp);
  await waitForProducts(page, PAGE_SIZE);
  const before = await delivery();

  await e2e.device.setOffline();
  await waitForBanner(page, (state) => state?.mode === 'offline', 'offline');
  await favoriteNth(page, 5);
  await waitForBanner(page, (state) => state?.pending === 1, 'one queued action');
  expect(await delivery()).toEqual(before);

  // The app is killed with the favorite still queued, and launched again.
  const mp = await e2e.restartApp();
  const again = await waitForPage(mp, ROUTES.products, { timeout: 8000 });
  await backOnlineAndDelivered(again, before);
});
