import { setApiHttp } from '../../../miniprogram/api/client';
import type { AppConfig } from '../../../miniprogram/config';
import { provideServices } from '../../../miniprogram/services/container';
import type { AppServices } from '../../../miniprogram/services/ports';
import { lastSignInError, signIn } from '../../../miniprogram/services/sign-in';
import { currentUser, setCurrentUser, USER_STORAGE_KEY } from '../../../miniprogram/services/user';
import { AppError } from '../../../miniprogram/utils/errors';
import { fakeHttp, settle } from './page-fakes';

function wire(ensure: () => Promise<unknown>) {
  const http = fakeHttp();
  setApiHttp(http);
  provideServices({ session: { ensure } } as unknown as AppServices & { config: AppConfig });
  const storage = new Map<string, unknown>();
  (globalThis as { wx?: unknown }).wx = {
    setStorageSync: (key: string, value: unknown) => storage.set(key, value),
    removeStorageSync: (key: string) => storage.delete(key),
  };
  return { http, storage };
}

afterEach(() => {
  delete (globalThis as { wx?: unknown }).wx;
  setCurrentUser(undefined);
});

describe('signIn', () => {
  it('logs in, fetches the profile without a toast, and keeps the user', async () => {
    const t = wire(() => Promise.resolve({ token: 't' }));
    const done = signIn();
    await settle();
    // The login page says why a sign-in failed: the error handler must not toast as well.
    expect(t.http.calls[0].options).toMatchObject({ url: '/api/me', skipErrorHandler: true });
    const user = { id: 'u1', nickname: 'Ann', avatarUrl: '', createdAt: 0 };
    t.http.calls[0].resolve(user);
    await expect(done).resolves.toEqual(user);
    expect(currentUser()).toEqual(user);
    expect(t.storage.get(USER_STORAGE_KEY)).toEqual(user);
    expect(lastSignInError()).toBeUndefined();
  });

  it('offline with a remembered user and a session: keeps that user instead of failing', async () => {
    const t = wire(() => Promise.resolve({ token: 't' }));
    const remembered = { id: 'u1', nickname: 'Ann', avatarUrl: '', createdAt: 0 };
    setCurrentUser(remembered);
    const done = signIn();
    await settle();
    t.http.calls[0].reject(new AppError({ kind: 'offline', message: 'offline' }));
    await expect(done).resolves.toEqual(remembered);
    expect(lastSignInError()).toBeUndefined();
  });

  it('a refused profile still fails, even with a remembered user', async () => {
    const t = wire(() => Promise.resolve({ token: 't' }));
    setCurrentUser({ id: 'u1', nickname: 'Ann', avatarUrl: '', createdAt: 0 });
    const done = signIn();
    await settle();
    const refused = new AppError({ kind: 'auth', message: 'expired' });
    t.http.calls[0].reject(refused);
    await expect(done).rejects.toBe(refused);
    expect(lastSignInError()).toBe(refused);
  });

  it('offline with nobody remembered fails, so the login page can say so', async () => {
    const t = wire(() => Promise.resolve({ token: 't' }));
    const done = signIn();
    await settle();
    t.http.calls[0].reject(new AppError({ kind: 'offline', message: 'offline' }));
    await expect(done).rejects.toMatchObject({ kind: 'offline' });
  });

  it('remembers why it failed for the login page, and forgets it after a success', async () => {
    const failure = new AppError({ kind: 'network', message: 'down' });
    wire(() => Promise.reject(failure));
    await expect(signIn()).rejects.toBe(failure);
    expect(lastSignInError()).toBe(failure);
    const t = wire(() => Promise.resolve({ token: 't' }));
    const done = signIn();
    await settle();
    t.http.calls[0].resolve({ id: 'u1', nickname: 'Ann', avatarUrl: '', createdAt: 0 });
    await done;
    expect(lastSignInError()).toBeUndefined();
  });
});
