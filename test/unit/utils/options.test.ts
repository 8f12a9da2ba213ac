import { withDefaults } from '../../../miniprogram/utils/options';
import { Monitor } from '../../../miniprogram/utils/monitor';

describe('withDefaults', () => {
  it('overlays the options that are set; an option passed as undefined keeps its default', () => {
    const defaults = { ttl: 1000, prefix: 'rc:', persist: true };
    const options: { ttl?: number; prefix?: string; persist?: boolean } = {
      ttl: undefined,
      prefix: 'x:',
      persist: false,
    };
    expect(withDefaults(defaults, options)).toEqual({ ttl: 1000, prefix: 'x:', persist: false });
    expect(defaults).toEqual({ ttl: 1000, prefix: 'rc:', persist: true }); // not mutated
  });

  it('a Monitor given recentCapacity: undefined keeps its default ring size', () => {
    const monitor = new Monitor({ recentCapacity: undefined });
    for (let i = 0; i < 60; i++) {
      monitor.record({
        endpoint: '/x',
        method: 'GET',
        status: 200,
        ok: true,
        queueMs: 0,
        loginMs: 0,
        networkMs: i,
        totalMs: i,
        bytes: 0,
        cache: 'bypass',
        retries: 0,
        at: i,
      });
    }
    expect(monitor.snapshot().recent).toHaveLength(50);
  });
});
