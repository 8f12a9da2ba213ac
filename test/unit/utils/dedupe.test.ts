import { CancelSource } from '../../../miniprogram/utils/cancel';
import type { AppError } from '../../../miniprogram/utils/errors';
import { envelope, setup } from './helpers';

describe('dedupe', () => {
  it('identical in-flight GETs share one network call', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.on('GET', '/api/products', { data: envelope([1, 2]), latency: 5 });
    const results = await Promise.all([
      client.get('/api/products', { params: { a: 1, b: 2 } }),
      client.get('/api/products', { params: { b: 2, a: 1 } }),
      client.get('/api/products', { params: { a: 1, b: 2 } }),
    ]);
    expect(results).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(fake.server.log).toHaveLength(1);
  });

  it('aborting one subscriber does not abort the others; the last one out aborts the call', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('GET', '/api/slow', { data: envelope('ok'), latency: 20 });
    const a = new CancelSource();
    const b = new CancelSource();
    const first = client.get('/api/slow', { signal: a.signal }).catch((e: AppError) => e.kind);
    const second = client.get('/api/slow', { signal: b.signal }).catch((e: AppError) => e.kind);
    await new Promise((r) => setTimeout(r, 1));
    a.cancel();
    expect(await first).toBe('cancelled');
    expect(fake.server.aborted).toEqual([]);
    expect(await second).toBe('ok');

    fake.server.on('GET', '/api/hang', { hang: true });
    const c = new CancelSource();
    const d = new CancelSource();
    const third = client.get('/api/hang', { signal: c.signal }).catch((e: AppError) => e.kind);
    const fourth = client.get('/api/hang', { signal: d.signal }).catch((e: AppError) => e.kind);
    await new Promise((r) => setTimeout(r, 1));
    c.cancel();
    d.cancel();
    expect(await Promise.all([third, fourth])).toEqual(['cancelled', 'cancelled']);
    expect(fake.server.aborted).toEqual(['https://api.test/api/hang']);
  });

  it('never dedupes POST, nor a GET that opts out', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.ok('POST', '/api/orders', {});
    fake.server.on('GET', '/api/x', { data: envelope(1), latency: 2 });
    await Promise.all([client.post('/api/orders', { a: 1 }), client.post('/api/orders', { a: 1 })]);
    await Promise.all([
      client.get('/api/x', { dedupe: false }),
      client.get('/api/x', { dedupe: false }),
    ]);
    expect(fake.server.log.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(fake.server.log.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  it('shares failures with every subscriber', async () => {
    const { fake, client } = setup({ session: false, errorPolicy: false });
    fake.server.on('GET', '/api/broken', { status: 404, data: '', latency: 2 });
    const errors = await Promise.all([
      client.get('/api/broken').catch((e: AppError) => e.status),
      client.get('/api/broken').catch((e: AppError) => e.status),
    ]);
    expect(errors).toEqual([404, 404]);
    expect(fake.server.log).toHaveLength(1);
  });
});
