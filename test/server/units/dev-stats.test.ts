import { DevCounters, MAX_COUNTER_KEYS, OTHER } from '../../../server/src/dev/stats';

describe('DevCounters', () => {
  it('counts per method and path, conditional requests and 304s', () => {
    const counters = new DevCounters();
    counters.request('GET', '/api/products', false);
    counters.request('GET', '/api/products', true);
    counters.notModified('/api/products');
    counters.chunk('u1', 0);
    counters.chunk('u1', 0);
    counters.login();
    expect(counters.snapshot()).toEqual({
      logins: 1,
      requests: { 'GET /api/products': 2 },
      notModified: { '/api/products': 1 },
      conditional: { '/api/products': 1 },
      favoritesApplied: 0,
      chunks: { u1: { '0': 2 } },
      chatMessages: 0,
    });
  });

  it('keeps a bounded number of keys: client-chosen paths beyond it count under (other)', () => {
    const counters = new DevCounters();
    for (let i = 0; i < MAX_COUNTER_KEYS + 500; i++) counters.request('GET', `/nope/${i}`, false);
    counters.request('GET', '/nope/0', false);
    for (let i = 0; i < MAX_COUNTER_KEYS + 10; i++) counters.chunk(`upload-${i}`, 0);
    const { requests, chunks } = counters.snapshot();
    expect(Object.keys(requests)).toHaveLength(MAX_COUNTER_KEYS + 1);
    expect(requests['GET /nope/0']).toBe(2);
    expect(requests[OTHER]).toBe(500);
    expect(Object.keys(chunks)).toHaveLength(MAX_COUNTER_KEYS + 1);
    expect(chunks[OTHER]).toEqual({ '0': 10 });
  });

  it('snapshots are copies; reset starts from zero', () => {
    const counters = new DevCounters();
    counters.request('GET', '/a', false);
    const before = counters.snapshot();
    before.requests['GET /a'] = 99;
    expect(counters.snapshot().requests['GET /a']).toBe(1);
    counters.reset();
    expect(counters.snapshot().requests).toEqual({});
  });
});
