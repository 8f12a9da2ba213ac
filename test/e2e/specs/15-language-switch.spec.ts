/** Scenario 15: the language switch changes the visible text (and back). */
import { ROUTES } from '../harness/flows';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitForSelector, waitForText } from '../harness/wait';

const e2e = useE2e();

scenario('15. switching the language changes what the page says', async () => {
  const me = await go(e2e.mp, 'switchTab', ROUTES.me);
  await waitForText(me, '.logout-button', '退出');

  const [toggle] = await waitForSelector(me, '.language-switch');
  await toggle.tap();
  await waitForText(me, '.logout-button', /log ?out/i);

  await toggle.tap();
  await waitForText(me, '.logout-button', '退出');
});
