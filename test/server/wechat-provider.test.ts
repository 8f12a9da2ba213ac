import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoginReply } from '../../typings/api';
import type { RunningServer } from '../../server/src/app';
import { call, running } from './helpers';

interface StubCall {
  path: string;
  query: Record<string, string>;
}

/** A loopback stand-in for WeChat's jscode2session. */
async function stubWechat(
  answer: (code: string) => { status?: number; body: unknown },
): Promise<{ base: string; calls: StubCall[]; close(): Promise<void> }> {
  const calls: StubCall[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    calls.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const { status = 200, body } = answer(url.searchParams.get('js_code') ?? '');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('WeChat jscode2session provider (against a loopback stub)', () => {
  let stub: Awaited<ReturnType<typeof stubWechat>>;
  let server: RunningServer;

  beforeAll(async () => {
    stub = await stubWechat((code) => {
      if (code === 'good-code') return { body: { openid: 'o-123', session_key: 'SECRET-KEY' } };
      if (code === 'boom') return { status: 500, body: {} };
      if (code === 'busy') return { body: { errcode: -1, errmsg: 'system busy' } };
      return { body: { errcode: 40029, errmsg: 'invalid code' } };
    });
    server = await running({
      wechat: { appId: 'wx-app', secret: 'wx-secret', apiBase: stub.base },
    });
  });
  afterAll(async () => {
    await server.close();
    await stub.close();
  });

  it('calls jscode2session with appid, secret, js_code and grant_type', async () => {
    const { res, body } = await call<LoginReply>(server, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { code: 'good-code' },
    });
    expect(res.statusCode).toBe(200);
    expect(stub.calls.at(-1)).toEqual({
      path: '/sns/jscode2session',
      query: {
        appid: 'wx-app',
        secret: 'wx-secret',
        js_code: 'good-code',
        grant_type: 'authorization_code',
      },
    });
    expect(body.data?.user.id).toMatch(/^wx_[0-9a-f]{16}$/);
    // Neither the session key nor the raw openid reaches the client.
    expect(res.body).not.toContain('SECRET-KEY');
    expect(res.body).not.toContain('o-123');
    const again = await call<LoginReply>(server, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { code: 'good-code' },
    });
    expect(again.body.data?.user.id).toBe(body.data?.user.id);
  });

  it('a code WeChat rejects → 401 UNAUTHORIZED', async () => {
    const { res, body } = await call(server, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { code: 'dev-alice-1' },
    });
    expect(res.statusCode).toBe(401);
    expect(body.errorCode).toBe('UNAUTHORIZED');
    expect(body.errorMessage).toMatch(/40029/);
  });

  it.each(['boom', 'busy'])('an upstream failure (%s) → 502 UPSTREAM_FAILED', async (code) => {
    const { res, body } = await call(server, {
      method: 'POST',
      url: '/api/auth/login',
      payload: { code },
    });
    expect(res.statusCode).toBe(502);
    expect(body.errorCode).toBe('UPSTREAM_FAILED');
  });

  it('an unreachable WeChat API → 502 UPSTREAM_FAILED', async () => {
    const dead = await stubWechat(() => ({ body: {} }));
    await dead.close();
    const other = await running({ wechat: { appId: 'a', secret: 's', apiBase: dead.base } });
    try {
      const { res, body } = await call(other, {
        method: 'POST',
        url: '/api/auth/login',
        payload: { code: 'x' },
      });
      expect(res.statusCode).toBe(502);
      expect(body.errorCode).toBe('UPSTREAM_FAILED');
    } finally {
      await other.close();
    }
  });
});
