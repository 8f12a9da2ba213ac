/** Scenario 15: the language switch changes the visible text (and back). */
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import { ROUTES } from '../harness/flows';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor, waitForSelector, waitForText } from '../harness/wait';

const e2e = useE2e();

/** The tab bar's labels as the phone shows them (simulator chrome; DevTools: skipped). */
async function tabTexts(): Promise<string[]> {
  const chrome = await e2e.device.chrome();
  return chrome.tabBar?.items.map((item) => item.text) ?? [];
}

async function switchLanguage(mp: MiniProgram, logout: RegExp, tab: string): Promise<void> {
  const me = await go(mp, 'switchTab', ROUTES.me);
  const [toggle] = await waitForSelector(me, '.language-switch');
  await toggle.tap();
  await waitForText(me, '.logout-button', logout);
  if (e2e.device.headless) {
    await waitFor(async () => (await tabTexts())[3] === tab, { message: `tab bar "${tab}"` });
  }
}

scenario('15. switching the language changes what the page and the tab bar say', async () => {
  const me = await go(e2e.mp, 'switchTab', ROUTES.me);
  await waitForText(me, '.logout-button', '退出登录');

  await switchLanguage(e2e.mp, /Sign out/, 'Me');
  // Other pages follow too.
  const products = await go(e2e.mp, 'switchTab', ROUTES.products);
  await waitFor(async () => (await products.data('t.noMore')) === 'No more products', {
    message: 'the products page in English',
  });

  await switchLanguage(e2e.mp, /退出登录/, '我的');
});
