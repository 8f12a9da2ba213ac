import net from 'node:net';
import type { DevStats } from '../../typings/dev';
import type { RunningServer } from '../../server/src/app';
import { buildServer } from '../../server/src/app';
import { bearer, call, login, request, running, testOptions } from './helpers';

// fastify.inject (used below to fake a non-loopback client) loads `cookie`, an ES module jest
// cannot require; the cookie helper is never used by these requests.
jest.mock('cookie', () => ({ stringifySetCookie: () => '' }));

describe('/__dev fault injection and counters', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await running();
    auth = bearer((await login(server, 'devuser')).token);
  });
  afterEach(() => call(server, { method: 'DELETE', url: '/__dev/faults' }));
  afterAll(() => server.close());

  const fault = (rule: unknown) =>
    call<{ id: string }>(server, { method: 'POST', url: '/__dev/faults', payload: rule });
  const products = () =>
    request(server, { method: 'GET', url: '/api/products?pageSize=1', headers: auth });

  it('status: the next N matching requests fail (503 + Retry-After), then normal again', async () => {
    const added = await fault({
      match: { method: 'GET', pathPrefix: '/api/products' },
      action: { kind: 'status', status: 503, retryAfter: 2 },
      count: 2,
    });
    expect(added.body.data!.id).toMatch(/^[0-9a-f]+$/);
    for (let i = 0; i < 2; i++) {
      const res = await products();
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(JSON.parse(res.body)).toMatchObject({ success: false, errorCode: 'UPSTREAM_FAILED' });
    }
    expect((await products()).statusCode).toBe(200);
  });

  it('method and path must match', async () => {
    await fault({
      match: { method: 'POST', pathPrefix: '/api/products' },
      action: { kind: 'status', status: 500 },
    });
    expect((await products()).statusCode).toBe(200);
    await fault({
      match: { pathPrefix: '/api/favorites' },
      action: { kind: 'status', status: 500 },
    });
    expect((await products()).statusCode).toBe(200);
  });

  it('delay: holds the request for ms', async () => {
    await fault({ match: { pathPrefix: '/api/health' }, action: { kind: 'delay', ms: 150 } });
    const start = Date.now();
    const res = await request(server, { method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('malformed: a 200 whose JSON body does not parse', async () => {
    await fault({ match: { pathPrefix: '/api/products' }, action: { kind: 'malformed' } });
    const res = await products();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(() => JSON.parse(res.body)).toThrow();
  });

  it('envelope: a business error with showType', async () => {
    await fault({
      match: { pathPrefix: '/api/products' },
      action: { kind: 'envelope', errorCode: 'STOCK_OUT', errorMessage: 'Sold out', showType: 4 },
    });
    const res = await products();
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      success: false,
      errorCode: 'STOCK_OUT',
      errorMessage: 'Sold out',
      showType: 4,
    });
  });

  it('drop: the connection closes without a response', async () => {
    await fault({ match: { pathPrefix: '/api/products' }, action: { kind: 'drop' } });
    await expect(products()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await products()).statusCode).toBe(200);
  });

  it('refuses bad rules with 400', async () => {
    for (const rule of [
      { match: { pathPrefix: 'no-slash' }, action: { kind: 'drop' } },
      { match: { pathPrefix: '/x' }, action: { kind: 'explode' } },
      { match: { pathPrefix: '/x' }, action: { kind: 'status' } },
      { match: { pathPrefix: '/x' }, action: { kind: 'delay', ms: 10_000_000 } },
    ]) {
      const { res } = await fault(rule);
      expect(res.statusCode).toBe(400);
    }
  });

  it('expires every session', async () => {
    const { token } = await login(server, 'soon-expired');
    const { body } = await call<{ expired: number }>(server, {
      method: 'POST',
      url: '/__dev/sessions/expire',
    });
    expect(body.data!.expired).toBeGreaterThanOrEqual(1);
    const me = await call(server, { method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(me.res.statusCode).toBe(401);
    expect(me.body.errorCode).toBe('SESSION_EXPIRED');
    auth = bearer((await login(server, 'devuser')).token);
  });

  it('counts logins, requests, conditional requests and 304s; reset clears them', async () => {
    await call(server, { method: 'POST', url: '/__dev/reset' });
    await login(server, 'counted');
    const first = await products();
    await request(server, {
      method: 'GET',
      url: '/api/products?pageSize=1',
      headers: { ...auth, 'if-none-match': first.headers.etag as string },
    });
    const stats = (await call<DevStats>(server, { method: 'GET', url: '/__dev/stats' })).body.data!;
    expect(stats.logins).toBe(1);
    expect(stats.requests['GET /api/products']).toBe(2);
    expect(stats.requests['POST /api/auth/login']).toBe(1);
    expect(stats.conditional['/api/products']).toBe(1);
    expect(stats.notModified['/api/products']).toBe(1);
    await call(server, { method: 'POST', url: '/__dev/reset' });
    const cleared = (await call<DevStats>(server, { method: 'GET', url: '/__dev/stats' })).body
      .data!;
    expect(cleared).toMatchObject({
      logins: 0,
      requests: {},
      notModified: {},
      favoritesApplied: 0,
    });
  });
});

describe('/__dev is refused where it must be', () => {
  it('answers 403 to a non-loopback client', async () => {
    const { app } = await buildServer(testOptions());
    try {
      const remote = await app.inject({
        method: 'GET',
        url: '/__dev/stats',
        remoteAddress: '10.1.2.3',
      });
      expect(remote.statusCode).toBe(403);
      expect(JSON.parse(remote.body)).toMatchObject({ errorCode: 'FORBIDDEN' });
      const local = await app.inject({
        method: 'GET',
        url: '/__dev/stats',
        remoteAddress: '127.0.0.1',
      });
      expect(local.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('does not exist in production (404), and faults are never applied', async () => {
    const server = await running({ production: true });
    try {
      const { res, body } = await call(server, { method: 'GET', url: '/__dev/stats' });
      expect(res.statusCode).toBe(404);
      expect(body.errorCode).toBe('NOT_FOUND');
      const post = await call(server, {
        method: 'POST',
        url: '/__dev/faults',
        payload: { match: { pathPrefix: '/api' }, action: { kind: 'drop' } },
      });
      expect(post.res.statusCode).toBe(404);
      expect((await request(server, { method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('is off when devRoutes is false', async () => {
    const server = await running({ devRoutes: false });
    try {
      expect((await call(server, { method: 'GET', url: '/__dev/stats' })).res.statusCode).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('loopback check reads the socket address, not X-Forwarded-For', async () => {
    const { app } = await buildServer(testOptions());
    try {
      const spoofed = await app.inject({
        method: 'GET',
        url: '/__dev/stats',
        remoteAddress: '203.0.113.9',
        headers: { 'x-forwarded-for': '127.0.0.1' },
      });
      expect(spoofed.statusCode).toBe(403);
      expect(net.isIP('203.0.113.9')).toBe(4);
    } finally {
      await app.close();
    }
  });
});
