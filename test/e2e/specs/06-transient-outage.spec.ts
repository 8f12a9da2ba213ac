/** Scenario 6: 503 + Retry-After twice, the list still loads; a POST without a key is not retried. */
import { openProducts, PAGE_SIZE, waitForProducts } from '../harness/flows';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor } from '../harness/wait';

const e2e = useE2e();
const LIST = 'GET /api/products';

scenario('6a. two 503 answers with Retry-After are waited out and the list loads', async () => {
  const page = await openProducts(e2e.mp);
  await waitForProducts(page, PAGE_SIZE);
  await e2e.backend.addFault({
    match: { method: 'GET', pathPrefix: '/api/products' },
    action: { kind: 'status', status: 503, retryAfter: 1 },
    count: 2,
  });
  const before = await e2e.backend.stats();
  const started = Date.now();

  await e2e.mp.callWxMethod('startPullDownRefresh');

  const after = await waitFor(
    async () => {
      const now = await e2e.backend.stats();
      return now.requests[LIST] - before.requests[LIST] >= 3 ? now : undefined;
    },
    { message: 'two refused attempts and a third one', timeout: 8000 },
  );
  // Each retry waited the second Retry-After asked for.
  expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  await waitFor(async () => (await page.data('phase')) === 'ready', { message: 'the list ready' });
  await waitForProducts(page, PAGE_SIZE);
  expect(after.requests[LIST] - before.requests[LIST]).toBe(3);
  expect(await page.$('.list-error')).toBeNull();
  expect(await page.data('footerError')).toBe(false);
});
