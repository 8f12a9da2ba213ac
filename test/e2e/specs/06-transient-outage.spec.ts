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

scenario('6b. a POST without an idempotency key is not retried after a 503', async () => {
  const probe = '/api/e2e-probe';
  await e2e.backend.addFault({
    match: { method: 'POST', pathPrefix: probe },
    action: { kind: 'status', status: 503, retryAfter: 0 },
    count: 3,
  });
  const before = await e2e.backend.stats();

  // The app's own http client (the one every page uses), asked for a plain POST.
  const outcome = (await e2e.mp.evaluate(
    `function (url) {
      var app = getApp();
      return app.wired.http
        .request({ method: 'POST', url: url, data: { n: 1 }, skipErrorHandler: true })
        .then(
          function () { return { settled: 'resolved' }; },
          function (error) { return { settled: 'rejected', kind: error.kind, status: error.status }; }
        );
    }`,
    probe,
  )) as { settled: string; kind?: string; status?: number };

  expect(outcome).toEqual({ settled: 'rejected', kind: 'http', status: 503 });
  const after = await e2e.backend.stats();
  const key = `POST ${probe}`;
  expect((after.requests[key] ?? 0) - (before.requests[key] ?? 0)).toBe(1);
  await e2e.backend.clearFaults();
});
