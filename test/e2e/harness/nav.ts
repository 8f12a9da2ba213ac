/**
 * Fast, portable navigation: the automator's own mp.navigateTo & co sleep 3 s each; calling the
 * wx method and waiting for the page a person would see costs only what the app needs.
 */
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import type Page from 'miniprogram-automator/out/Page';
import { waitForPage } from './wait';
import type { WaitOptions } from './wait';

export type RouteMethod = 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch';

export async function go(
  mp: MiniProgram,
  method: RouteMethod,
  url: string,
  options: WaitOptions = {},
): Promise<Page> {
  await mp.callWxMethod(method, { url });
  return waitForPage(mp, url, options);
}

export async function back(mp: MiniProgram, expectedRoute: string): Promise<Page> {
  await mp.callWxMethod('navigateBack', { delta: 1 });
  return waitForPage(mp, expectedRoute);
}
