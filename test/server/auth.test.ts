import Database from 'better-sqlite3';
import path from 'node:path';
import type { LoginReply, LogoutReply, User } from '../../typings/api';
import { ManualClock, bearer, running, call, login, tempDataDir } from './helpers';
import type { RunningServer } from '../../server/src/app';
import { CACHE_TTL_MS } from '../../server/src/auth/auth-service';
import { hashToken } from '../../server/src/auth/tokens';

describe('auth: login, me, logout', () => {
  let server: RunningServer;
  const clock = new ManualClock();
  const dataDir = tempDataDir();

  beforeAll(async () => {
    server = await running({ dataDir, clock, tokenTtlMs: 60_000 });
  });
  afterAll(() => server.close());

  it('maps dev codes to stable users and other codes to "default"', async () => {
    const a1 = await login(server, 'alice');
    const a2 = await login(server, 'alice');
    expect(a1.user.id).toBe('alice');
    expect(a2.user).toEqual(a1.user);
    expect(a1.token).not.toBe(a2.token);
    const { body } = await call<LoginReply>(server, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { code: '0a3Xyz-tourist-code' },
    });
    expect(body.data?.user.id).toBe('default');
    expect(body.data?.expiresAt).toBe(clock.now() + 60_000);
  });

  it('never sends session_key and stores only token hashes', async () => {
    const { res } = await call(server, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { code: 'dev-bob-1' },
    });
    expect(res.body).not.toMatch(/session_?key/i);
    const token = (JSON.parse(res.body) as { data: LoginReply }).data.token;
    const db = new Database(path.join(dataDir, 'app.db'), { readonly: true });
    const rows = db.prepare('SELECT token_hash FROM sessions').all() as Array<{
      token_hash: string;
    }>;
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('GET /api/me returns the user for a valid token, 401 UNAUTHORIZED otherwise', async () => {
    const { token, user } = await login(server, 'carol');
    const me = await call<User>(server, { method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(me.res.statusCode).toBe(200);
    expect(me.body.data).toEqual(user);

    for (const headers of [
      {},
      { authorization: 'Bearer nope-not-a-token' },
      { authorization: 'Basic abc' },
    ] as Array<Record<string, string>>) {
      const { res, body } = await call(server, { method: 'GET', url: '/api/me', headers });
      expect(res.statusCode).toBe(401);
      expect(body).toMatchObject({ success: false, errorCode: 'UNAUTHORIZED' });
      expect(typeof body.traceId).toBe('string');
    }
  });

  it('expired tokens get 401 SESSION_EXPIRED', async () => {
    const { token } = await login(server, 'dave');
    clock.advance(60_001);
    const { res, body } = await call(server, {
      method: 'GET',
      url: '/api/me',
      headers: bearer(token),
    });
    expect(res.statusCode).toBe(401);
    expect(body.errorCode).toBe('SESSION_EXPIRED');
  });

  it('a revocation made outside this instance is honoured within the cache TTL', async () => {
    const { token } = await login(server, 'elsewhere');
    expect(
      (await call(server, { method: 'GET', url: '/api/me', headers: bearer(token) })).res
        .statusCode,
    ).toBe(200);
    // Another instance sharing the database revokes it (straight in storage, no eviction here).
    await server.context.repos.sessions.revoke(hashToken(token), clock.now());
    clock.advance(CACHE_TTL_MS);
    const after = await call(server, { method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(after.res.statusCode).toBe(401);
    expect(after.body.errorMessage).toMatch(/revoked/i);
  });

  it('logout revokes the token', async () => {
    const { token } = await login(server, 'erin');
    const out = await call<LogoutReply>(server, {
      method: 'POST',
      url: '/api/auth/logout',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '',
    });
    expect(out.res.statusCode).toBe(200);
    expect(out.body.data).toEqual({ revoked: true });
    const after = await call(server, { method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(after.res.statusCode).toBe(401);
    expect(after.body.errorCode).toBe('UNAUTHORIZED');
    expect(after.body.errorMessage).toMatch(/revoked/i);
  });

  it('logout without a valid token → 401', async () => {
    const { res, body } = await call(server, { method: 'POST', url: '/api/auth/logout' });
    expect(res.statusCode).toBe(401);
    expect(body.errorCode).toBe('UNAUTHORIZED');
  });

  it.each([
    ['missing code', { payload: {} }, /code/],
    ['wrong type', { payload: { code: 123 } }, /code must be string/],
    ['empty code', { payload: { code: '' } }, /code/],
    ['oversized code', { payload: { code: 'x'.repeat(129) } }, /code/],
    ['array body', { payload: [1, 2] }, /body must be object/],
  ])('refuses %s with 400 and a clear message', async (_name, extra, message) => {
    const { res, body } = await call(server, { method: 'POST', url: '/api/auth/login', ...extra });
    expect(res.statusCode).toBe(400);
    expect(body).toMatchObject({ success: false, errorCode: 'BAD_REQUEST' });
    expect(body.errorMessage).toMatch(message);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses malformed JSON with 400 and a huge body with 413', async () => {
    const bad = await call(server, {
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"code": "dev-x-1"',
    });
    expect(bad.res.statusCode).toBe(400);
    expect(bad.body.errorMessage).toMatch(/Malformed JSON/);
    const huge = await call(server, {
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ code: 'x'.repeat(200_000) }),
    });
    expect(huge.res.statusCode).toBe(413);
    expect(huge.body.errorCode).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('auth: login rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the limit', async () => {
    const server = await running({ loginRateLimit: { max: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) await login(server, `u${i}`);
      const { res, body } = await call(server, {
        method: 'POST',
        url: '/api/auth/login',
        payload: { code: 'dev-u9-1' },
      });
      expect(res.statusCode).toBe(429);
      expect(body.errorCode).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
