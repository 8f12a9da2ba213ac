/// <reference types="miniprogram-api-typings" />
/**
 * Login storm: N concurrent requests start without a session. Counts wx.login calls and
 * code-for-session calls (POST /api/auth/login) against the number of requests.
 * Goal: 20 requests → 1 wx.login (weRequest 2.x makes one per request).
 */
import { createHttpClient } from '../../miniprogram/utils/http';
import { createFakeWx } from '../../test/unit/fake-wx';

async function storm(requests: number, loginLatencyMs: number) {
  const fake = createFakeWx({ latency: 1 });
  fake.auth.latency = loginLatencyMs;
  fake.server.on('GET', '/api/items/:id', () => ({
    data: { success: true, data: 1, traceId: 't' },
  }));
  fake.server.on('POST', '/api/auth/login', () => ({
    latency: loginLatencyMs,
    data: {
      success: true,
      data: { token: 'tok', expiresAt: Date.now() + 3_600_000, user: { id: 'u' } },
      traceId: 't',
    },
  }));
  const client = createHttpClient({ baseURL: 'https://api.test', wx: fake.wx });
  const started = Date.now();
  const results = await Promise.allSettled(
    Array.from({ length: requests }, (_, i) => client.get(`/api/items/${i}`)),
  );
  return {
    requests,
    ok: results.filter((result) => result.status === 'fulfilled').length,
    wxLogins: fake.auth.loginCalls,
    exchanges: fake.server.log.filter((request) => request.path === '/api/auth/login').length,
    ms: Date.now() - started,
  };
}

async function main(): Promise<void> {
  console.log(
    'login storm: concurrent requests without a session → wx.login / POST /api/auth/login',
  );
  for (const requests of [5, 20, 100]) {
    const result = await storm(requests, 20);
    console.log(
      `  ${String(result.requests).padStart(3)} requests → ${result.wxLogins} wx.login, ${result.exchanges} login call, ` +
        `${result.ok}/${result.requests} succeeded in ${result.ms} ms`,
    );
  }
  const headline = await storm(20, 20);
  const met = headline.wxLogins === 1 && headline.exchanges === 1 && headline.ok === 20;
  console.log(`  figure: 20 → ${headline.wxLogins} (goal 20 → 1) ${met ? 'MET' : 'NOT MET'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
