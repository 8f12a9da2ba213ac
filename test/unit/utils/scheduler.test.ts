import { CancelSource } from '../../../miniprogram/utils/cancel';
import type { AppError } from '../../../miniprogram/utils/errors';
import { Scheduler } from '../../../miniprogram/utils/scheduler';
import { TestConnectivity } from './fake-connectivity';
import { flush, setup } from './helpers';

/** A task that stays running until released. */
function gate() {
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release: () => release() };
}

/** Fills all 10 slots with tasks that run until `release`. */
function fill(scheduler: Scheduler) {
  const gates = Array.from({ length: 10 }, gate);
  const running = gates.map((g) => scheduler.schedule(() => g.done));
  return {
    running,
    release: () => gates.forEach((g) => g.release()),
  };
}

describe('scheduler', () => {
  it('never runs more than 10 tasks at once, across request, upload and download', async () => {
    const scheduler = new Scheduler();
    let running = 0;
    let max = 0;
    const kinds = ['request', 'upload', 'download'] as const;
    const tasks = Array.from({ length: 50 }, (_, i) =>
      scheduler.schedule(
        async () => {
          running++;
          max = Math.max(max, running);
          await new Promise((r) => setTimeout(r, 1));
          running--;
          return i;
        },
        { kind: kinds[i % 3] },
      ),
    );
    expect(scheduler.active).toBe(10);
    expect(scheduler.queued).toBe(40);
    expect(await Promise.all(tasks)).toHaveLength(50);
    expect(max).toBe(10);
    expect(scheduler.maxObserved).toBe(10);
  });

  it('through the client: 40 concurrent requests never exceed 10 wx.request calls', async () => {
    const { fake, client } = setup({ session: false });
    fake.server.latency = 2;
    fake.server.ok('GET', '/api/n/:id', 1);
    await Promise.all(Array.from({ length: 40 }, (_, i) => client.get(`/api/n/${i}`)));
    expect(fake.server.maxInFlight).toBe(10);
  });

  it('starts high before normal before low, and reports the queue wait', async () => {
    let now = 0;
    const scheduler = new Scheduler({ now: () => now });
    const blocker = fill(scheduler);
    const order: string[] = [];
    const waits: number[] = [];
    const run = (name: string) => async (info: { queuedMs: number }) => {
      order.push(name);
      waits.push(info.queuedMs);
    };
    const queued = [
      scheduler.schedule(run('low'), { priority: 'low' }),
      scheduler.schedule(run('normal'), { priority: 'normal' }),
      scheduler.schedule(run('high'), { priority: 'high' }),
    ];
    expect(scheduler.queued).toBe(3);
    now = 25;
    blocker.release();
    await Promise.all([...blocker.running, ...queued]);
    expect(order).toEqual(['high', 'normal', 'low']);
    expect(waits[0]).toBe(25);
  });

  it('cancelling a queued task removes it at once and rejects it as cancelled', async () => {
    const scheduler = new Scheduler();
    const blocker = fill(scheduler);
    const source = new CancelSource();
    const task = jest.fn(async () => 'ran');
    const queued = scheduler.schedule(task, { signal: source.signal });
    expect(scheduler.queued).toBe(1);
    source.cancel();
    expect(scheduler.queued).toBe(0); // immediately, not when it would have been dequeued
    await expect(queued).rejects.toMatchObject({ kind: 'cancelled' });
    blocker.release();
    await flush();
    expect(task).not.toHaveBeenCalled();
    await expect(scheduler.schedule(task, { signal: source.signal })).rejects.toMatchObject({
      kind: 'cancelled',
    });
  });

  it('low priority never takes every slot: normal work starts while low work floods', async () => {
    const scheduler = new Scheduler();
    const gates = Array.from({ length: 12 }, gate);
    gates.forEach((g) => void scheduler.schedule(() => g.done, { priority: 'low' }));
    expect(scheduler.active).toBe(8); // two slots stay free for normal and high work
    expect(scheduler.queued).toBe(4);
    const high = gate();
    void scheduler.schedule(() => high.done, { priority: 'high' });
    const normal = scheduler.schedule(async () => 'normal');
    expect(scheduler.active).toBe(10);
    await expect(normal).resolves.toBe('normal');
    gates.forEach((g) => g.release());
    high.release();
  });

  it('no starvation: low work gets a turn while high work keeps coming', async () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    const all: Array<Promise<void>> = [];
    const blocker = fill(scheduler);
    all.push(...blocker.running);
    all.push(scheduler.schedule(async () => void order.push('low'), { priority: 'low' }));
    for (let i = 0; i < 20; i++) {
      all.push(scheduler.schedule(async () => void order.push(`high${i}`), { priority: 'high' }));
    }
    blocker.release();
    await Promise.all(all);
    expect(order.indexOf('low')).toBeLessThan(4);
  });

  it("offline: 'queue' holds tasks until online, 'fail' rejects fast with an offline error", async () => {
    const connectivity = new TestConnectivity();
    connectivity.set(false);
    const scheduler = new Scheduler({ connectivity });
    await expect(scheduler.schedule(async () => 1, { offline: 'fail' })).rejects.toMatchObject({
      kind: 'offline',
    });
    const held = jest.fn(async () => 'sent');
    const queued = scheduler.schedule(held, { offline: 'queue' });
    await flush();
    expect(held).not.toHaveBeenCalled();
    expect(scheduler.queued).toBe(1);
    connectivity.set(true);
    await expect(queued).resolves.toBe('sent');
  });

  it("a 'fail' task that waited in the queue fails when the network is gone at its turn", async () => {
    const connectivity = new TestConnectivity();
    const scheduler = new Scheduler({ connectivity });
    const blocker = fill(scheduler);
    const waiting = scheduler
      .schedule(async () => 1, { offline: 'fail' })
      .catch((e: AppError) => e.kind);
    connectivity.set(false);
    blocker.release();
    expect(await waiting).toBe('offline');
  });

  it('settles when a task throws synchronously, and frees its slot', async () => {
    const scheduler = new Scheduler();
    const throwing = (() => {
      throw new Error('sync');
    }) as unknown as () => Promise<number>;
    await expect(scheduler.schedule(throwing)).rejects.toThrow('sync');
    await expect(scheduler.schedule(async () => 2)).resolves.toBe(2);
    expect(scheduler.active).toBe(0);
  });
});
