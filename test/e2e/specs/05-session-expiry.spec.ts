/** Scenario 5: sessions expire mid-use; the next burst causes exactly one login, no error shown. */
import { openProducts, PAGE_SIZE, ROUTES, scrollUntil, waitForProducts } from '../harness/flows';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';

const e2e = useE2e();

scenario(
  '5. after the backend expires every session, a burst re-logs in exactly once',
  async () => {
    await waitForProducts(await openProducts(e2e.mp), PAGE_SIZE);
    await e2e.device.clearHistory();
    await e2e.backend.expireSessions();
    const before = await e2e.backend.stats();

    // A burst with the dead token: re-entering the list asks for products and favorites at once,
    // and the user pulls to refresh at the same moment.
    const page = await go(e2e.mp, 'reLaunch', ROUTES.products);
    await e2e.mp.callWxMethod('startPullDownRefresh');
    await waitForProducts(page, PAGE_SIZE);
    await scrollUntil(page, 2 * PAGE_SIZE);

    const after = await e2e.backend.stats();
    expect(after.logins - before.logins).toBe(1);
    const sent = (key: string) => (after.requests[key] ?? 0) - (before.requests[key] ?? 0);
    expect(sent('GET /api/products')).toBeGreaterThanOrEqual(3);
    expect(await page.$('.list-error')).toBeNull();
    expect(await e2e.device.history('showToast')).toEqual([]);
    expect(await e2e.device.history('showModal')).toEqual([]);
  },
);
