import { APP_MESSAGE_TABLES, textsFor } from '../../../miniprogram/i18n/messages';
import {
  LOCALE_STORAGE_KEY,
  restoreLocale,
  switchLocale,
} from '../../../miniprogram/services/locale';
import type { LocaleWx } from '../../../miniprogram/services/locale';
import { chatSocketUrlFor, resolveConfig } from '../../../miniprogram/config';
import { getLocale, setLocale } from '../../../miniprogram/utils/i18n';
import type { Locale } from '../../../miniprogram/utils/i18n';

function fakeWx(initial: Record<string, unknown> = {}, options: { throwOnRead?: boolean } = {}) {
  const storage = new Map(Object.entries(initial));
  const tabs: Array<{ index: number; text: string }> = [];
  const api: LocaleWx = {
    getStorageSync: (key) => {
      if (options.throwOnRead) throw new Error('getStorageSync:fail');
      return storage.get(key) ?? '';
    },
    setStorageSync: (key, value) => storage.set(key, value),
    setTabBarItem: ({ index, text }) => tabs.push({ index, text }),
  };
  return { api, storage, tabs };
}

describe('locale', () => {
  afterEach(() => setLocale('zh-CN'));

  it('starts in zh-CN and ignores foreign stored values', () => {
    expect(restoreLocale(fakeWx({ [LOCALE_STORAGE_KEY]: 'fr' }).api)).toBe('zh-CN');
    expect(restoreLocale(fakeWx({}, { throwOnRead: true }).api)).toBe('zh-CN');
  });

  it('persists a switch, renames the tabs and restores it on the next launch', () => {
    const wx = fakeWx();
    switchLocale(wx.api, 'en');
    expect(wx.storage.get(LOCALE_STORAGE_KEY)).toBe('en');
    expect(wx.tabs.map((tab) => tab.text)).toEqual(['Products', 'Chat', 'Album', 'Me']);
    setLocale('zh-CN');
    expect(restoreLocale(wx.api)).toBe('en');
    expect(getLocale()).toBe('en');
  });

  it('refuses an unknown locale', () => {
    expect(() => switchLocale(fakeWx().api, 'xx' as Locale)).toThrow('unknown locale');
  });

  it('has every key in both languages with the same placeholders', () => {
    const zh = APP_MESSAGE_TABLES['zh-CN'];
    const en = APP_MESSAGE_TABLES.en;
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(zh))
      expect([key, placeholders(en[key])]).toEqual([key, placeholders(zh[key])]);
  });

  it('hands a page its scope with WXML-friendly keys', () => {
    setLocale('en');
    const texts = textsFor('chat');
    expect(texts.send).toBe('Send');
    expect(texts.status_online).toBe('Online');
    expect(texts).not.toHaveProperty('title_products');
  });
});

describe('config', () => {
  it('uses the build origin by default and derives the chat socket URL', () => {
    const config = resolveConfig({
      apiBase: 'http://127.0.0.1:3000/',
      env: 'development',
      version: '1.0.0',
    });
    expect(config).toMatchObject({
      apiBase: 'http://127.0.0.1:3000',
      chatSocketUrl: 'ws://127.0.0.1:3000/ws/chat',
      envVersion: 'develop',
      pageSize: 20,
    });
    expect(chatSocketUrlFor('https://api.example.com')).toBe('wss://api.example.com/ws/chat');
  });

  it('applies the override of the running environment only', () => {
    const overrides = { release: { apiBase: 'https://api.example.com' } };
    expect(
      resolveConfig({
        apiBase: 'http://x:1',
        env: 'p',
        version: '1',
        envVersion: 'release',
        overrides,
      }).apiBase,
    ).toBe('https://api.example.com');
    expect(
      resolveConfig({
        apiBase: 'http://x:1',
        env: 'p',
        version: '1',
        envVersion: 'trial',
        overrides,
      }).apiBase,
    ).toBe('http://x:1');
  });

  it('refuses an origin that is not http(s)', () => {
    expect(() => resolveConfig({ apiBase: 'ftp://x', env: 'd', version: '1' })).toThrow(
      'http(s) origin',
    );
  });
});
