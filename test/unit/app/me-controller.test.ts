import { setApiHttp } from '../../../miniprogram/api/client';
import type { AppConfig } from '../../../miniprogram/config';
import { INITIAL_ME_DATA, MeController } from '../../../miniprogram/pages/me/controller';
import { provideServices } from '../../../miniprogram/services/container';
import { favorites } from '../../../miniprogram/services/favorites-registry';
import {
  LOCALE_STORAGE_KEY,
  restoreLocale,
  switchLocale,
} from '../../../miniprogram/services/locale';
import { logout } from '../../../miniprogram/services/logout';
import type { AppServices } from '../../../miniprogram/services/ports';
import {
  USER_STORAGE_KEY,
  currentUser,
  onUserChange,
  setCurrentUser,
} from '../../../miniprogram/services/user';
import { AppError } from '../../../miniprogram/utils/errors';
import { getLocale, onLocaleChange, setLocale } from '../../../miniprogram/utils/i18n';
import type { User } from '../../../typings/api';
import { fakeHttp, fakeView, settle } from './page-fakes';

const alice: User = { id: 'u1', nickname: 'Alice', avatarUrl: '', createdAt: 0 };

function fakeStorage() {
  const items = new Map<string, unknown>();
  return {
    items,
    getStorageSync: (key: string) => items.get(key),
    setStorageSync: (key: string, value: unknown) => void items.set(key, value),
    removeStorageSync: (key: string) => void items.delete(key),
    setTabBarItem: () => undefined,
  };
}

function setup(options: { confirm?: boolean; refresh?: () => Promise<unknown> } = {}) {
  const storage = fakeStorage();
  const calls = { confirm: 0, logout: 0, toLogin: 0, monitor: 0 };
  let finishLogout: (() => void) | undefined;
  const view = fakeView(INITIAL_ME_DATA);
  const controller = new MeController(view, {
    apiBase: 'http://api',
    version: '1.2.3',
    currentUser,
    onUserChange,
    refreshUser: options.refresh ?? (() => Promise.resolve()),
    getLocale,
    onLocaleChange,
    switchLocale: (locale) => switchLocale(storage, locale),
    confirmLogout: () => {
      calls.confirm += 1;
      return Promise.resolve(options.confirm ?? true);
    },
    logout: () => {
      calls.logout += 1;
      return new Promise<void>((resolve) => {
        finishLogout = resolve;
      });
    },
    toLogin: () => {
      calls.toLogin += 1;
    },
    openMonitor: () => {
      calls.monitor += 1;
    },
  });
  return { view, controller, storage, calls, finishLogout: () => finishLogout?.() };
}

afterEach(() => {
  setLocale('zh-CN');
  setCurrentUser(undefined);
});

describe('MeController', () => {
  it('shows the cached user and version at once, then the refreshed profile', async () => {
    setCurrentUser(alice);
    let answer: (() => void) | undefined;
    const t = setup({
      refresh: () =>
        new Promise<void>((resolve) => {
          answer = () => {
            setCurrentUser({ ...alice, nickname: 'Alice B.' });
            resolve();
          };
        }),
    });
    const started = t.controller.start();
    expect(t.view.data).toMatchObject({ user: alice, version: '1.2.3', locale: 'zh-CN' });
    answer!();
    await started;
    expect(t.view.data.user?.nickname).toBe('Alice B.');
  });

  it('keeps the cached user when the refresh fails, and the start still settles', async () => {
    setCurrentUser(alice);
    const t = setup({
      refresh: () => Promise.reject(new AppError({ kind: 'offline', message: 'offline' })),
    });
    await expect(t.controller.start()).resolves.toBeUndefined();
    expect(t.view.data.user).toEqual(alice);
  });

  it('switches the language both ways and persists the choice', async () => {
    const t = setup();
    await t.controller.start();
    expect(t.controller.switchLanguage()).toBe('en');
    expect(t.view.data).toMatchObject({ locale: 'en', localeName: 'English' });
    expect(t.storage.items.get(LOCALE_STORAGE_KEY)).toBe('en');
    // The next launch starts in English.
    setLocale('zh-CN');
    expect(restoreLocale(t.storage)).toBe('en');
    expect(t.controller.switchLanguage()).toBe('zh-CN');
    expect(t.view.data).toMatchObject({ locale: 'zh-CN', localeName: '简体中文' });
    expect(t.storage.items.get(LOCALE_STORAGE_KEY)).toBe('zh-CN');
  });

  it('loads the avatar from the API host; without one the icon shows', async () => {
    setCurrentUser({ ...alice, avatarUrl: '/images/avatars/u1.png' });
    const t = setup();
    await t.controller.start();
    expect(t.view.data.avatarSrc).toBe('http://api/images/avatars/u1.png');
    setCurrentUser(undefined);
    expect(t.view.data.avatarSrc).toBe('');
  });

  it('falls back to the icon when the avatar cannot load, until the user has another avatar', async () => {
    setCurrentUser({ ...alice, avatarUrl: '/a.png' });
    const t = setup();
    await t.controller.start();
    t.controller.avatarFailed();
    expect(t.view.data).toMatchObject({ avatarFailed: true, avatarSrc: '' });
    setCurrentUser({ ...alice, nickname: 'Alice B.', avatarUrl: '/a.png' });
    expect(t.view.data).toMatchObject({ avatarFailed: true, avatarSrc: '' }); // same picture
    setCurrentUser({ ...alice, avatarUrl: '/b.png' });
    expect(t.view.data).toMatchObject({ avatarFailed: false, avatarSrc: 'http://api/b.png' });
  });

  it('opens the network monitor', () => {
    const t = setup();
    t.controller.openMonitor();
    expect(t.calls.monitor).toBe(1);
  });

  it('logs out only after confirming, once, then opens the login page', async () => {
    const t = setup();
    const first = t.controller.logout();
    expect(await t.controller.logout()).toBe('busy');
    await settle();
    expect(t.calls).toMatchObject({ confirm: 1, logout: 1, toLogin: 0 });
    t.finishLogout();
    expect(await first).toBe('logged-out');
    expect(t.calls.toLogin).toBe(1);
  });

  it('does nothing when the user cancels the confirmation', async () => {
    const t = setup({ confirm: false });
    expect(await t.controller.logout()).toBe('kept');
    expect(t.calls).toMatchObject({ confirm: 1, logout: 0, toLogin: 0 });
  });

  it('stops following user and locale changes after unload', async () => {
    const t = setup();
    await t.controller.start();
    t.controller.stop();
    const patches = t.view.patches.length;
    setCurrentUser(alice);
    setLocale('en');
    expect(t.view.patches).toHaveLength(patches);
  });
});

describe('logout (services/logout)', () => {
  function wire() {
    const http = fakeHttp();
    setApiHttp(http);
    const calls: string[] = [];
    provideServices({
      outbox: {
        pending: 2,
        submit: () => Promise.resolve({ id: 'o', state: 'queued' as const }),
        subscribe: () => () => undefined,
        clear: () => calls.push('outbox.clear'),
      },
      session: {
        logout: () => {
          calls.push('session.logout');
          return Promise.resolve();
        },
      },
    } as unknown as AppServices & { config: AppConfig });
    const storage = fakeStorage();
    (globalThis as { wx?: unknown }).wx = storage;
    return { http, calls, storage };
  }

  afterEach(() => {
    delete (globalThis as { wx?: unknown }).wx;
  });

  it('revokes the token, then clears outbox, session (with its cache partition) and user', async () => {
    const t = wire();
    setCurrentUser(alice, t.storage);
    const before = favorites();
    const done = logout();
    expect(t.http.calls[0].options).toMatchObject({ method: 'POST', url: '/api/auth/logout' });
    expect(t.calls).toEqual([]); // nothing cleared before the server heard of it
    t.http.calls[0].resolve({ ok: true });
    await done;
    expect(t.calls).toEqual(['outbox.clear', 'session.logout']);
    expect(currentUser()).toBeUndefined();
    expect(t.storage.items.has(USER_STORAGE_KEY)).toBe(false);
    expect(favorites()).not.toBe(before); // the next user starts from their own favorites
  });

  it('clears locally even when the server cannot be reached', async () => {
    const t = wire();
    setCurrentUser(alice, t.storage);
    const done = logout();
    t.http.calls[0].reject(new AppError({ kind: 'offline', message: 'offline' }));
    await expect(done).resolves.toBeUndefined();
    expect(t.calls).toEqual(['outbox.clear', 'session.logout']);
    expect(currentUser()).toBeUndefined();
  });
});
