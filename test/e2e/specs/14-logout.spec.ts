/** Scenario 14: logout clears the session and the user's cache; the next launch logs in again. */
import { coldStart, openProducts, PAGE_SIZE, ROUTES, waitForProducts } from '../harness/flows';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitForPage, waitForSelector } from '../harness/wait';

const e2e = useE2e();

/** Storage keys of the session (utils/session.ts) and of cached API answers (utils/cache.ts). */
function sessionOrCacheKeys(snapshot: Record<string, unknown>): string[] {
  return Object.keys(snapshot).filter((key) => key === 'mp.session' || key.startsWith('rc:'));
}

scenario('14. logout clears session and cache; the next launch logs in again', async () => {
  await waitForProducts(await openProducts(e2e.mp), PAGE_SIZE);
  const stored = sessionOrCacheKeys(await e2e.device.storageSnapshot());
  expect(stored).toContain('mp.session');
  expect(stored.some((key) => key.startsWith('rc:'))).toBe(true);
  await e2e.device.setModalDefault('confirm');

  const me = await go(e2e.mp, 'switchTab', ROUTES.me);
  const [logout] = await waitForSelector(me, '.logout-button');
  await logout.tap();
  await waitForPage(e2e.mp, ROUTES.login);
  await e2e.device.setModalDefault('pending');

  const leftovers = await e2e.device.storageSnapshot();
  expect(sessionOrCacheKeys(leftovers)).toEqual([]);

  const before = await e2e.backend.stats();
  const page = await coldStart(e2e, false);
  await waitForProducts(page, PAGE_SIZE);
  expect((await e2e.backend.stats()).logins - before.logins).toBe(1);
});
