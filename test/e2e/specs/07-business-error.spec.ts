/** Scenario 7: an envelope error with showType toast shows its message once. */
import { openProducts, PAGE_SIZE, waitForProducts } from '../harness/flows';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor } from '../harness/wait';

const e2e = useE2e();

scenario('7. a business error with showType 2 shows its message in exactly one toast', async () => {
  const page = await openProducts(e2e.mp);
  await waitForProducts(page, PAGE_SIZE);
  await e2e.device.clearHistory();
  const message = 'Promotion ended (e2e business error)';
  await e2e.backend.addFault({
    match: { method: 'GET', pathPrefix: '/api/products' },
    action: { kind: 'envelope', errorCode: 'CONFLICT', errorMessage: message, showType: 2 },
  });

  await e2e.mp.callWxMethod('startPullDownRefresh');

  // The refresh failed (the list stays, the footer offers a retry) ...
  await waitFor(async () => (await page.data('footerError')) === true, {
    message: 'the failed refresh to settle',
  });
  // ... and the server's message was shown once, as a toast.
  await waitFor(
    async () => (await e2e.device.history('showToast')).some((t) => t.params.title === message),
    { message: `a toast saying "${message}"` },
  );
  const toasts = await e2e.device.history('showToast');
  expect(toasts.filter((toast) => toast.params.title === message)).toHaveLength(1);
  expect(await e2e.device.history('showModal')).toEqual([]);
});
