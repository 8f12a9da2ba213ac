/**
 * The language the user picked, persisted, and applied to what the framework renders itself
 * (tab bar texts). zh-CN until the user picks English in "Me".
 */
import { getLocale, isLocale, setLocale } from '../utils/i18n';
import type { Locale } from '../utils/i18n';
import { t } from '../utils/i18n';
import '../i18n/messages';

export const LOCALE_STORAGE_KEY = 'app:locale';
const TAB_KEYS = ['tab.products', 'tab.chat', 'tab.album', 'tab.me'];

export interface LocaleWx {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: unknown): void;
  setTabBarItem(options: { index: number; text: string; fail?: () => void }): void;
}

/** Applies the stored choice; a missing or foreign value keeps zh-CN. */
export function restoreLocale(api: LocaleWx): Locale {
  let stored: unknown;
  try {
    stored = api.getStorageSync(LOCALE_STORAGE_KEY);
  } catch (_error) {
    stored = undefined; // unreadable storage must not stop the app
  }
  if (isLocale(stored)) setLocale(stored);
  return getLocale();
}

export function switchLocale(api: LocaleWx, locale: Locale): void {
  if (!isLocale(locale)) throw new Error(`unknown locale "${String(locale)}"`);
  setLocale(locale);
  try {
    api.setStorageSync(LOCALE_STORAGE_KEY, locale);
  } catch (_error) {
    // Storage full: the switch still applies for this run.
  }
  applyTabBarTexts(api);
}

/** Only works while a tab page is showing; tab pages call it again in onShow. */
export function applyTabBarTexts(api: LocaleWx): void {
  TAB_KEYS.forEach((key, index) => {
    try {
      api.setTabBarItem({ index, text: t(key), fail: () => undefined });
    } catch (_error) {
      // Not on a tab page right now.
    }
  });
}
