/** Scenario 4: re-entering products paints from cache at once and revalidates with a 304. */
import { openProducts, PAGE_SIZE, ROUTES, productIds, waitForProducts } from '../harness/flows';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor } from '../harness/wait';

const e2e = useE2e();

scenario(
  '4. leaving and re-entering products paints from cache and revalidates (304)',
  async () => {
    const page = await openProducts(e2e.mp);
    // Earlier specs may have scrolled further; the first page is what a re-entry shows.
    const first = (await waitForProducts(page, PAGE_SIZE)).slice(0, PAGE_SIZE);
    await go(e2e.mp, 'switchTab', ROUTES.me);
    const before = await e2e.backend.stats();

    // Slow the revalidation down: what shows before it answers can only come from the cache.
    await e2e.backend.addFault({
      match: { method: 'GET', pathPrefix: '/api/products' },
      action: { kind: 'delay', ms: 2500 },
    });
    const again = await go(e2e.mp, 'reLaunch', ROUTES.products);
    const painted = await waitForProducts(again, PAGE_SIZE, 2000);
    expect(painted.slice(0, PAGE_SIZE)).toEqual(first);

    const stats = await waitFor(
      async () => {
        const now = await e2e.backend.stats();
        return (now.notModified['/api/products'] ?? 0) > (before.notModified['/api/products'] ?? 0)
          ? now
          : undefined;
      },
      { message: 'the backend to answer a conditional request with 304', timeout: 6000 },
    );
    expect(stats.conditional['/api/products'] ?? 0).toBeGreaterThan(
      before.conditional['/api/products'] ?? 0,
    );
    expect((await productIds(again)).slice(0, PAGE_SIZE)).toEqual(first);
  },
);
