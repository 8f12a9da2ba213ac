import type { FastifyInstance } from 'fastify';
import type { Favorite, FavoriteRemoved, PageResult } from '../../typings/api';
import { buildServer, type RunningServer } from '../../server/src/app';
import { bearer, call, login, running, testOptions } from './helpers';

const OVERRIDE = 'x-http-method-override';

describe('X-HTTP-Method-Override (wx.request cannot send PATCH)', () => {
  let server: RunningServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await running();
    auth = bearer((await login(server, 'override')).token);
  });
  afterAll(() => server.close());

  const favorites = async () =>
    (
      await call<PageResult<Favorite>>(server, {
        method: 'GET',
        url: '/api/favorites',
        headers: auth,
      })
    ).body.data!.list.map((f) => f.productId);

  it('a POST tunnelling DELETE reaches the DELETE route', async () => {
    await call(server, {
      method: 'POST',
      url: '/api/favorites',
      headers: auth,
      payload: { productId: 'p010' },
    });
    expect(await favorites()).toContain('p010');
    const { res, body } = await call<FavoriteRemoved>(server, {
      method: 'POST',
      url: '/api/favorites/p010',
      headers: { ...auth, [OVERRIDE]: 'delete' },
    });
    expect(res.statusCode).toBe(200);
    expect(body.data).toEqual({ productId: 'p010', removed: true });
    expect(await favorites()).not.toContain('p010');
  });

  it.each(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'nonsense'])(
    'a POST never becomes %s: 400 with a clear message, nothing read or changed',
    async (method) => {
      const { res, body } = await call(server, {
        method: 'POST',
        url: '/api/favorites',
        headers: { ...auth, [OVERRIDE]: method },
        payload: { productId: 'p011' },
      });
      expect(res.statusCode).toBe(400);
      expect(body.errorCode).toBe('BAD_REQUEST');
      expect(body.errorMessage).toMatch(/X-HTTP-Method-Override.*PATCH, PUT, DELETE/);
      expect(await favorites()).not.toContain('p011');
    },
  );

  it('only a POST is tunnelled: a GET carrying the header stays a GET', async () => {
    await call(server, {
      method: 'POST',
      url: '/api/favorites',
      headers: auth,
      payload: { productId: 'p012' },
    });
    const { res } = await call(server, {
      method: 'GET',
      url: '/api/favorites/p012',
      headers: { ...auth, [OVERRIDE]: 'DELETE' },
    });
    expect(res.statusCode).toBe(404);
    expect(await favorites()).toContain('p012');
  });

  it('a POST saying POST is a plain POST', async () => {
    const { res } = await call(server, {
      method: 'POST',
      url: '/api/favorites',
      headers: { ...auth, [OVERRIDE]: 'POST' },
      payload: { productId: 'p013' },
    });
    expect(res.statusCode).toBe(200);
    expect(await favorites()).toContain('p013');
  });
});

describe('X-HTTP-Method-Override routes PATCH and PUT', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app } = await buildServer(testOptions()));
    for (const method of ['PATCH', 'PUT', 'POST'] as const) {
      app.route({
        method,
        url: '/probe',
        schema: { body: { type: 'object', properties: { nickname: { type: 'string' } } } },
        handler: async (request) => ({ method: request.method, body: request.body }),
      });
    }
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it.each(['PATCH', 'PUT', 'patch'])('POST + %s → that route, body intact', async (method) => {
    const { res, body } = await call(
      { url },
      {
        method: 'POST',
        url: '/probe',
        headers: { [OVERRIDE]: method },
        payload: { nickname: 'x' },
      },
    );
    expect(res.statusCode).toBe(200);
    expect(body).toEqual({ method: method.toUpperCase(), body: { nickname: 'x' } });
  });
});
