import { AppError } from '../../../miniprogram/utils/errors';
import { NEVER_CANCELLED } from '../../../miniprogram/utils/cancel';
import type { RequestContext } from '../../../miniprogram/utils/request-context';
import { parseRetryAfter, RetryBudget, retryStage } from '../../../miniprogram/utils/retry';
import { TestConnectivity } from './fake-connectivity';
import { envelope, setup } from './helpers';

function failingThenOk(
  failures: number,
  reply: { status?: number; fail?: string; header?: Record<string, string> },
) {
  let calls = 0;
  return () =>
    ++calls <= failures
      ? { ...reply, data: { success: false, traceId: 's' } }
      : { data: envelope('ok') };
}

describe('retry', () => {
  afterEach(() => jest.useRealTimers());

  it.each([408, 413, 429, 500, 502, 503, 504])('retries status %i for GET', async (status) => {
    const { fake, client } = setup({ session: false });
    fake.server.on('GET', '/api/x', failingThenOk(1, { status }));
    await expect(client.get('/api/x')).resolves.toBe('ok');
    expect(fake.server.log).toHaveLength(2);
  });

  it('does not retry other statuses, business errors or parse errors', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('GET', '/api/404', { status: 404, data: '' });
    fake.server.on('GET', '/api/biz', {
      data: { success: false, errorCode: 'CONFLICT', traceId: 's' },
    });
    await expect(client.get('/api/404')).rejects.toMatchObject({ status: 404 });
    await expect(client.get('/api/biz')).rejects.toMatchObject({ kind: 'business' });
    expect(fake.server.log).toHaveLength(2);
  });

  it('retries dropped connections (request:fail interrupted) and timeouts', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.on('GET', '/api/x', failingThenOk(2, { fail: 'request:fail interrupted' }));
    await expect(client.get('/api/x')).resolves.toBe('ok');
    expect(fake.server.log).toHaveLength(3);
    fake.server.on('GET', '/api/t', failingThenOk(1, { fail: 'request:fail timeout' }));
    await expect(client.get('/api/t')).resolves.toBe('ok');
  });

  it('never retries POST without an idempotency key; retries it with one (sending the key)', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('POST', '/api/favorites', failingThenOk(1, { status: 503 }));
    await expect(client.post('/api/favorites', { productId: 'p1' })).rejects.toMatchObject({
      status: 503,
    });
    expect(fake.server.log).toHaveLength(1);
    fake.server.on('POST', '/api/favorites', failingThenOk(1, { status: 503 }));
    await expect(
      client.post('/api/favorites', { productId: 'p1' }, { idempotencyKey: 'k-1' }),
    ).resolves.toBe('ok');
    expect(fake.server.log.slice(1).map((r) => r.header['Idempotency-Key'])).toEqual([
      'k-1',
      'k-1',
    ]);
    const traceIds = new Set(fake.server.log.slice(1).map((r) => r.header['X-Trace-Id']));
    const requestIds = new Set(fake.server.log.slice(1).map((r) => r.header['X-Request-Id']));
    expect(traceIds.size).toBe(1); // stable across retries
    expect(requestIds.size).toBe(2); // one per attempt
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    const { fake, client } = setup({ session: false });
    fake.server.on(
      'GET',
      '/api/x',
      failingThenOk(1, { status: 429, header: { 'Retry-After': '3' } }),
    );
    let settled = false;
    const pending = client.get('/api/x').finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(2999);
    expect(settled).toBe(false);
    expect(fake.server.log).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toBe('ok');

    const date = new Date(Date.now() + 5000).toUTCString();
    fake.server.on(
      'GET',
      '/api/y',
      failingThenOk(1, { status: 503, header: { 'retry-after': date } }),
    );
    let done = false;
    const second = client.get('/api/y').finally(() => (done = true));
    await jest.advanceTimersByTimeAsync(4000);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(second).resolves.toBe('ok');
  });

  it('gives up when Retry-After exceeds the 60 s cap, and waits as long as the cap', async () => {
    jest.useFakeTimers();
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on(
      'GET',
      '/api/x',
      failingThenOk(1, { status: 429, header: { 'Retry-After': '61' } }),
    );
    const refused = client.get('/api/x').catch((e: AppError) => e);
    await jest.advanceTimersByTimeAsync(0);
    await expect(refused).resolves.toMatchObject({ status: 429 });
    expect(fake.server.log).toHaveLength(1);

    fake.server.on(
      'GET',
      '/api/y',
      failingThenOk(1, { status: 503, header: { 'Retry-After': '60' } }),
    );
    let settled = false;
    const waited = client.get('/api/y').finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(59_999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(waited).resolves.toBe('ok');
    expect(fake.server.log).toHaveLength(3);
  });

  it('stops at the limit (retry option or policy) and when disabled', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('GET', '/api/x', { status: 500, data: '' });
    await expect(client.get('/api/x')).rejects.toMatchObject({ status: 500 });
    expect(fake.server.log).toHaveLength(3); // 1 + 2 retries
    await expect(client.get('/api/x', { retry: 4 })).rejects.toMatchObject({ status: 500 });
    expect(fake.server.log).toHaveLength(8);
    await expect(client.get('/api/x', { retry: false })).rejects.toMatchObject({ status: 500 });
    expect(fake.server.log).toHaveLength(9);
  });

  it('a retry budget stops an outage from multiplying load', async () => {
    const budget = new RetryBudget(3, 0.5);
    const { fake, client } = setup({ session: false, errorPolicy: false, retry: { budget } });
    fake.server.on('GET', '*', { status: 503, data: '' });
    const errors = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client.get(`/api/o/${i}`, { dedupe: false }).catch((e: AppError) => e.status),
      ),
    );
    expect(errors.every((status) => status === 503)).toBe(true);
    expect(fake.server.log).toHaveLength(13); // 10 first attempts + the 3 tokens
    expect(budget.available).toBeLessThan(1);
    fake.server.ok('GET', '/api/fine', 1);
    await client.get('/api/fine');
    await client.get('/api/fine?2');
    expect(budget.available).toBeGreaterThanOrEqual(1); // successes earn retries back
  });

  it('an attempt lost to the network going offline waits for it without spending attempts', async () => {
    const connectivity = new TestConnectivity();
    const { fake, client } = setup({ session: false, connectivity });
    fake.server.ok('GET', '/api/x', 'back');
    fake.network.set('none');
    // Sent while the store still said online; it fails in wx once the device is offline.
    const pending = client.get('/api/x', { retry: 0 });
    connectivity.set(false);
    await new Promise((r) => setTimeout(r, 5));
    fake.network.set('wifi');
    connectivity.set(true);
    await expect(pending).resolves.toBe('back');
  });

  it('while offline, a new request rejects at once with an offline error', async () => {
    const connectivity = new TestConnectivity();
    const { fake, client } = setup({ session: false, errorPolicy: false, connectivity });
    fake.network.set('none');
    connectivity.set(false);
    await expect(client.get('/api/x')).rejects.toMatchObject({ kind: 'offline' });
    await expect(client.get('/api/x', { offline: 'fail' })).rejects.toMatchObject({
      kind: 'offline',
    });
  });

  it("a request's own offline: 'fail' fails fast where the default waits", async () => {
    const connectivity = new TestConnectivity();
    const { fake, client } = setup({ session: false, errorPolicy: false, connectivity });
    fake.server.ok('GET', '/api/x', 1);
    fake.network.set('none');
    // The scheduler still sees the device online, so the attempt fails in wx and retry decides.
    const pending = client.get('/api/x', { offline: 'fail' });
    connectivity.set(false);
    await expect(pending).rejects.toMatchObject({ kind: 'offline' });
  });

  it('gives up after 3 offline waits (a flapping network cannot hold a request forever)', async () => {
    const connectivity = new TestConnectivity();
    const { fake, client } = setup({ session: false, errorPolicy: false, connectivity });
    fake.network.set('none');
    let settled = false;
    const pending = client.get('/api/x').finally(() => (settled = true));
    connectivity.set(false); // the first attempt is lost to the network going away: wait 1
    for (let wait = 1; wait <= 3; wait++) {
      await new Promise((r) => setTimeout(r, 5));
      expect(settled).toBe(false); // still waiting for the network
      // Back for an instant: one more attempt, lost again (waits 2 and 3, then giving up).
      connectivity.set(true);
      connectivity.set(false);
    }
    await expect(pending).rejects.toMatchObject({ kind: 'offline' });
  });

  it.each([
    // random → the waits before retries 1..8: 300 ms · 2^(n-1), capped at 10 s, times random.
    [0.999, [299, 599, 1198, 2397, 4795, 9590, 9990, 9990]],
    [0.5, [150, 300, 600, 1200, 2400, 4800, 5000, 5000]],
  ])('backs off exponentially with full jitter and a cap (random %p)', async (random, waits) => {
    jest.useFakeTimers();
    const { fake, client } = setup({
      session: false,
      errorPolicy: false,
      retry: { random: () => random },
    });
    fake.server.on('GET', '/api/x', { status: 500, data: '' });
    const pending = client.get('/api/x', { retry: waits.length }).catch((e: AppError) => e);
    await jest.advanceTimersByTimeAsync(0);
    for (const [retry, wait] of waits.entries()) {
      expect(fake.server.log).toHaveLength(retry + 1);
      await jest.advanceTimersByTimeAsync(wait - 1);
      expect(fake.server.log).toHaveLength(retry + 1); // not a millisecond early
      await jest.advanceTimersByTimeAsync(1);
    }
    expect(fake.server.log).toHaveLength(waits.length + 1);
    await expect(pending).resolves.toMatchObject({ status: 500 });
  });

  it('full jitter can draw no wait at all (random 0)', async () => {
    jest.useFakeTimers();
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('GET', '/api/x', { status: 500, data: '' });
    const startedAt = Date.now();
    const pending = client.get('/api/x', { retry: 8 }).catch((e: AppError) => e);
    await jest.runAllTimersAsync();
    expect(fake.server.log).toHaveLength(9);
    expect(Date.now()).toBe(startedAt); // the clock never moved: each retry waited 0 ms
    await expect(pending).resolves.toMatchObject({ status: 500 });
  });

  it('passes a failure that is not an AppError through untouched, without retrying', async () => {
    const stage = retryStage(); // the defaults
    const ctx = { options: {}, method: 'GET', retries: 0, signal: NEVER_CANCELLED };
    const bug = new TypeError('a bug below');
    const next = jest.fn(() => Promise.reject(bug));
    await expect(stage(ctx as unknown as RequestContext, next)).rejects.toBe(bug);
    expect(next).toHaveBeenCalledTimes(1);
    expect(ctx.retries).toBe(0);
  });

  it('parses Retry-After values', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNaN();
    expect(parseRetryAfter(undefined, now)).toBeNaN();
    expect(parseRetryAfter(' ', now)).toBeNaN();
  });

  it('a cancel during the backoff sleep settles as cancelled', async () => {
    const { CancelSource } = await import('../../../miniprogram/utils/cancel');
    const { fake, client } = setup({
      session: false,
      errorPolicy: false,
      retry: { random: () => 0.99 },
    });
    fake.server.on('GET', '/api/x', { status: 500, data: '' });
    const source = new CancelSource();
    const pending = client.get('/api/x', { signal: source.signal }).catch((e: AppError) => e);
    await new Promise((r) => setTimeout(r, 5));
    source.cancel();
    const error = await pending;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'cancelled' });
  });
});
