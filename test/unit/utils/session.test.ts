import type { LoginReply } from '../../../typings/api';
import { CancelSource } from '../../../miniprogram/utils/cancel';
import { AppError } from '../../../miniprogram/utils/errors';
import { SessionManager } from '../../../miniprogram/utils/session';
import { SafeStorage } from '../../../miniprogram/utils/storage';
import { createFakeWx } from '../fake-wx';
import { envelope, setup } from './helpers';

const reply = (token: string, userId = 'u1'): LoginReply => ({
  token,
  expiresAt: Date.now() + 3_600_000,
  user: { id: userId, nickname: '', avatarUrl: '', createdAt: 0 },
});

function manager(overrides: Partial<ConstructorParameters<typeof SessionManager>[0]> = {}) {
  const fake = createFakeWx();
  const exchange = jest.fn(async (code: string) => reply(`tok-${code}`));
  const sessions = new SessionManager({
    wx: fake.wx,
    storage: new SafeStorage(fake.wx),
    exchange,
    ...overrides,
  });
  return { fake, exchange, sessions };
}

describe('session', () => {
  it('login storm: 20 concurrent requests cause ONE wx.login and ONE login call, all proceed', async () => {
    const { fake, client } = setup();
    fake.server.ok('GET', '/api/items/:id', { ok: true });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.get(`/api/items/${i}`)),
    );
    expect(results).toHaveLength(20);
    expect(fake.auth.loginCalls).toBe(1);
    expect(fake.server.log.filter((r) => r.path === '/api/auth/login')).toHaveLength(1);
    const tokens = new Set(
      fake.server.log
        .filter((r) => r.path !== '/api/auth/login')
        .map((r) => r.header['Authorization']),
    );
    expect([...tokens]).toEqual(['Bearer tok-dev-u1-1']);
  });

  it('rejects every waiter when wx.login fails, and none hangs', async () => {
    const { fake, sessions } = manager();
    fake.auth.failNextLogins(1);
    const waiters = Array.from({ length: 5 }, () =>
      sessions.ensure().catch((e: AppError) => e.kind),
    );
    expect(await Promise.all(waiters)).toEqual(['auth', 'auth', 'auth', 'auth', 'auth']);
    await expect(sessions.ensure()).resolves.toMatchObject({ token: 'tok-dev-u1-1' });
  });

  it('rejects every waiter when the code-for-session call fails', async () => {
    const exchange = jest.fn(async () => {
      throw new AppError({ kind: 'http', status: 500 });
    });
    const { sessions } = manager({ exchange });
    const waiters = Array.from({ length: 3 }, () =>
      sessions.ensure().catch((e: AppError) => e.status),
    );
    expect(await Promise.all(waiters)).toEqual([500, 500, 500]);
    expect(exchange).toHaveBeenCalledTimes(1);
    const plain = manager({ exchange: async () => Promise.reject(new Error('boom')) });
    await expect(plain.sessions.ensure()).rejects.toMatchObject({ kind: 'auth', message: 'boom' });
    const bad = manager({ exchange: async () => ({}) as LoginReply });
    await expect(bad.sessions.ensure()).rejects.toMatchObject({ kind: 'parse' });
  });

  it('a waiter that aborts is rejected alone; the login goes on for the others', async () => {
    const { fake, sessions } = manager();
    fake.auth.latency = 5;
    const source = new CancelSource();
    const aborted = sessions.ensure(source.signal).catch((e: AppError) => e.kind);
    const other = sessions.ensure();
    source.cancel();
    expect(await aborted).toBe('cancelled');
    await expect(other).resolves.toMatchObject({ generation: 1 });
    await expect(sessions.ensure(source.signal)).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('stale-401 guard: a late 401 for an old generation never discards the newer session', async () => {
    const { sessions } = manager();
    const first = await sessions.ensure();
    sessions.invalidate(first.generation);
    const second = await sessions.ensure();
    expect(second.generation).toBe(first.generation + 1);
    sessions.invalidate(first.generation); // the late reply for the old session
    expect(sessions.current()).toBe(second);
  });

  it('stale-401 guard through the client: a late 401 sent with the old token re-uses the newer session', async () => {
    const { fake, client } = setup({ errorPolicy: false });
    let releaseSlow: () => void = () => undefined;
    fake.server.on('GET', '/api/slow', (request) =>
      request.header['Authorization'] === 'Bearer tok-dev-u1-1'
        ? new Promise((resolve) => {
            releaseSlow = () =>
              resolve({
                status: 401,
                data: { success: false, errorCode: 'SESSION_EXPIRED', traceId: 's' },
              });
          })
        : { data: envelope('slow-ok') },
    );
    fake.server.on('GET', '/api/fast', (request) =>
      request.header['Authorization'] === 'Bearer tok-dev-u1-1'
        ? { status: 401, data: { success: false, traceId: 's' } }
        : { data: envelope('fast-ok') },
    );
    const slow = client.get('/api/slow');
    await new Promise((r) => setTimeout(r, 0));
    await expect(client.get('/api/fast')).resolves.toBe('fast-ok'); // 401 → re-login (generation 2)
    expect(client.session?.current()?.generation).toBe(2);
    releaseSlow();
    await expect(slow).resolves.toBe('slow-ok');
    expect(client.session?.current()?.generation).toBe(2); // not wiped, no third login
    expect(fake.auth.loginCalls).toBe(2);
  });

  it('re-logs in on a configurable body code, and stops after the per-request limit', async () => {
    const { fake, client } = setup({ errorPolicy: false, authCodes: ['TOKEN_GONE'] });
    let calls = 0;
    fake.server.on('GET', '/api/me', () =>
      ++calls === 1
        ? { data: { success: false, errorCode: 'TOKEN_GONE', traceId: 's' } }
        : { data: envelope('me') },
    );
    await expect(client.get('/api/me')).resolves.toBe('me');
    expect(fake.auth.loginCalls).toBe(2);
    fake.server.on('GET', '/api/always401', {
      status: 401,
      data: { success: false, traceId: 's' },
    });
    await expect(client.get('/api/always401')).rejects.toMatchObject({ kind: 'auth', status: 401 });
    expect(fake.auth.loginCalls).toBe(3); // one re-login, then the error surfaces
  });

  it('caps re-login loops across requests', async () => {
    const { sessions } = manager();
    // At most 3 logins a minute: a server that refuses every session stops at the fourth.
    for (let i = 0; i < 3; i++) sessions.invalidate((await sessions.ensure()).generation);
    await expect(sessions.ensure()).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('loop'),
    });
  });

  it('persists the session with its expiry and checks it with wx.checkSession once per lifecycle', async () => {
    const { fake, sessions } = manager();
    await sessions.ensure();
    const stored = fake.wx.getStorageSync('mp.session') as { token: string; expiresAt: number };
    expect(stored.token).toBe('tok-dev-u1-1');
    const exchange = jest.fn(async (code: string) => reply(`tok-${code}`));
    const restarted = new SessionManager({
      wx: fake.wx,
      storage: new SafeStorage(fake.wx),
      exchange,
    });
    await Promise.all([restarted.ensure(), restarted.ensure()]);
    await restarted.ensure();
    expect(fake.auth.checkSessionCalls).toBe(1);
    expect(exchange).not.toHaveBeenCalled();
    expect(restarted.current()?.token).toBe('tok-dev-u1-1');
  });

  it('logs in again when checkSession says the stored session is gone, or it expired', async () => {
    const { fake, sessions } = manager();
    await sessions.ensure();
    fake.auth.sessionValid = false;
    const restarted = new SessionManager({
      wx: fake.wx,
      storage: new SafeStorage(fake.wx),
      exchange: async (c) => reply(`new-${c}`),
    });
    await expect(restarted.ensure()).resolves.toMatchObject({
      token: 'new-dev-u1-2',
      generation: 2,
    });
    let now = Date.now();
    const clocked = new SessionManager({
      wx: fake.wx,
      storage: new SafeStorage(fake.wx),
      exchange: async (c) => ({ ...reply(c), expiresAt: now + 60_000 }),
      now: () => now,
    });
    await clocked.ensure();
    expect(clocked.current()).toBeDefined();
    now += 59_000; // inside the 30 s skew before expiry
    expect(clocked.current()).toBeUndefined();
  });

  it('drops a corrupt stored session instead of crashing', async () => {
    const fake = createFakeWx();
    fake.storage.corrupt('mp.session', '{"token": 42');
    const sessions = new SessionManager({
      wx: fake.wx,
      storage: new SafeStorage(fake.wx),
      exchange: async (c) => reply(c),
    });
    expect(sessions.current()).toBeUndefined();
    expect(fake.storage.raw.has('mp.session')).toBe(false);
    await expect(sessions.ensure()).resolves.toMatchObject({ generation: 1 });
  });

  it('notifies listeners on change and logout; unsubscribes', async () => {
    const { sessions } = manager();
    const changes: Array<number | undefined> = [];
    const logouts: Array<string | undefined> = [];
    const off = sessions.onChange((s) => changes.push(s?.generation));
    const offLogout = sessions.onLogout((s) => logouts.push(s?.userId));
    await sessions.ensure();
    sessions.logout();
    off();
    offLogout();
    await sessions.ensure();
    sessions.logout();
    expect(changes).toEqual([1, undefined]);
    expect(logouts).toEqual(['u1']);
  });

  it('reports a wx.login that throws or returns no code as an auth error', async () => {
    const throwing = manager();
    (throwing.fake.wx as { login: unknown }).login = () => {
      throw new Error('no login');
    };
    await expect(throwing.sessions.ensure()).rejects.toMatchObject({ kind: 'auth' });
    const empty = manager();
    (empty.fake.wx as { login: unknown }).login = (o: { success: (r: { code: string }) => void }) =>
      o.success({ code: '' });
    await expect(empty.sessions.ensure()).rejects.toMatchObject({ kind: 'auth' });
    const checkThrows = manager();
    await checkThrows.sessions.ensure();
    (checkThrows.fake.wx as { checkSession: unknown }).checkSession = () => {
      throw new Error('x');
    };
    const restarted = new SessionManager({
      wx: checkThrows.fake.wx,
      storage: new SafeStorage(checkThrows.fake.wx),
      exchange: async (c) => reply(`r-${c}`),
    });
    await expect(restarted.ensure()).resolves.toMatchObject({ token: 'r-dev-u1-2' });
  });
});

describe('session edge cases', () => {
  afterEach(() => jest.useRealTimers());

  it('rejects every waiter when wx.login never answers', async () => {
    jest.useFakeTimers();
    const { fake, sessions } = manager();
    (fake.wx as { login: unknown }).login = () => undefined;
    const waiters = [sessions.ensure(), sessions.ensure()].map((p) =>
      p.catch((e: AppError) => e.kind),
    );
    await jest.advanceTimersByTimeAsync(15_000); // the login time limit
    expect(await Promise.all(waiters)).toEqual(['auth', 'auth']);
  });

  it('a wx.checkSession that never answers does not hold requests: the stored session is used', async () => {
    const { fake, sessions } = manager();
    await sessions.ensure();
    jest.useFakeTimers();
    (fake.wx as { checkSession: unknown }).checkSession = () => undefined;
    const logins = fake.auth.loginCalls;
    const restarted = new SessionManager({
      wx: fake.wx,
      storage: new SafeStorage(fake.wx),
      exchange: async (c) => reply(`r-${c}`),
    });
    const waiter = restarted.ensure();
    await jest.advanceTimersByTimeAsync(15_000); // the check's time limit
    await expect(waiter).resolves.toMatchObject({ token: 'tok-dev-u1-1' });
    expect(fake.auth.loginCalls).toBe(logins);
  });

  it('a reply without a body, or no wx at all, rejects with a clear error instead of throwing', async () => {
    const empty = manager({ exchange: async () => null as unknown as LoginReply });
    await expect(empty.sessions.ensure()).rejects.toMatchObject({ kind: 'parse' });
    // Neither wx nor storage injected, and no global wx (Node): nothing throws, login fails.
    const bare = new SessionManager({ exchange: async (c) => reply(c) });
    expect(bare.current()).toBeUndefined();
    await expect(bare.ensure()).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('wx is not available'),
    });
  });

  it('uses a stored session of an older version (no user id) without logging in', async () => {
    const fake = createFakeWx();
    fake.wx.setStorageSync('mp.session', {
      token: 'old',
      expiresAt: Date.now() + 3_600_000,
      generation: 4,
    });
    const { client } = setup({}, fake);
    fake.server.ok('GET', '/api/items/:id', { ok: true });
    await client.get('/api/items/1');
    expect(fake.auth.loginCalls).toBe(0);
    expect(fake.server.log.map((r) => r.header['Authorization'])).toEqual(['Bearer old']);
    expect(client.session?.current()).toMatchObject({ generation: 4 });
  });

  it('a login that finishes after logout does not bring the session back', async () => {
    let release: (reply: LoginReply) => void = () => undefined;
    const { sessions } = manager({
      exchange: () => new Promise<LoginReply>((resolve) => (release = resolve)),
    });
    const pending = sessions.ensure().catch((e: AppError) => e.kind);
    await new Promise((r) => setTimeout(r, 0));
    sessions.logout();
    release(reply('late'));
    expect(await pending).toBe('cancelled');
    expect(sessions.current()).toBeUndefined();
  });
});
