/** Shared set-up for the request-stack tests: a client wired to a fresh fake wx. */
import { createHttpClient, type HttpClientConfig } from '../../../miniprogram/utils/http';
import { createFakeWx, type FakeWx } from '../fake-wx';

export const BASE = 'https://api.test';

export function setup(config: Partial<HttpClientConfig> = {}, fake: FakeWx = createFakeWx()) {
  fake.server.on('POST', '/api/auth/login', (request) => {
    const code = (request.data as { code: string }).code;
    return {
      data: {
        success: true,
        data: {
          token: `tok-${code}`,
          expiresAt: Date.now() + 3_600_000,
          user: { id: 'u1', nickname: 'n', avatarUrl: '', createdAt: 0 },
        },
        traceId: 't',
      },
    };
  });
  const client = createHttpClient({
    baseURL: BASE,
    wx: fake.wx,
    retry: { random: () => 0, ...config.retry },
    ...config,
  });
  return { fake, client };
}

/** Lets queued microtasks and zero-delay work run. */
export async function flush(times = 10): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
}

export function envelope<T>(data: T): { success: true; data: T; traceId: string } {
  return { success: true, data, traceId: 'srv' };
}
