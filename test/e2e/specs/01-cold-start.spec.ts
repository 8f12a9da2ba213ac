/** Scenario 1: cold start — silent login, the products page shows the backend's first page. */
import { backendProductIds, coldStart, PAGE_SIZE, waitForProducts } from '../harness/flows';
import { scenario, useE2e } from '../harness/scenario';

const e2e = useE2e();

scenario('1. cold start logs in silently and shows the first page of products', async () => {
  const expected = await backendProductIds(e2e, { current: 1, pageSize: PAGE_SIZE });
  const before = await e2e.backend.stats();
  const page = await coldStart(e2e, true);

  expect(await waitForProducts(page, PAGE_SIZE)).toEqual(expected);
  // Exactly one login, made by the app without any user action (the login page never showed).
  const after = await e2e.backend.stats();
  expect(after.logins - before.logins).toBe(1);
  const stack = await e2e.mp.pageStack();
  expect(stack.map((p) => p.path)).toEqual(['pages/products/index']);
});
