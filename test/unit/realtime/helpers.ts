/** Small in-test implementations of the contracts the realtime modules take by injection. */
import type {
  Session,
  SessionSource,
  TaskScheduler,
  ScheduleOptions,
} from '../../../miniprogram/utils/contracts';
import { AppError } from '../../../miniprogram/utils/errors';
import type { KeyValueStore } from '../../../miniprogram/utils/wx-ports';

export interface FakeSession extends SessionSource {
  ensureCalls: number;
  invalidated: number[];
  /** Replaces the session (a refresh) and notifies listeners. */
  refresh(): Session;
  logout(): void;
  failNextEnsure: number;
  readonly listenerCount: number;
}

export function createFakeSession(): FakeSession {
  let generation = 1;
  let session: Session | undefined = {
    token: 'tok-1',
    expiresAt: Date.now() + 3_600_000,
    generation,
  };
  const listeners = new Set<(session: Session | undefined) => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener(session);
  };
  const fake: FakeSession = {
    ensureCalls: 0,
    invalidated: [],
    failNextEnsure: 0,
    current: () => session,
    async ensure() {
      fake.ensureCalls++;
      if (fake.failNextEnsure > 0) {
        fake.failNextEnsure--;
        throw new AppError({ kind: 'auth', message: 'login failed' });
      }
      if (!session) fake.refresh();
      return session as Session;
    },
    invalidate(gen) {
      fake.invalidated.push(gen);
      if (session && session.generation === gen) {
        generation++;
        session = { token: `tok-${generation}`, expiresAt: Date.now() + 3_600_000, generation };
        // A real session source re-logs in lazily; listeners hear about the new one.
        notify();
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    refresh() {
      generation++;
      session = { token: `tok-${generation}`, expiresAt: Date.now() + 3_600_000, generation };
      notify();
      return session;
    },
    logout() {
      session = undefined;
      notify();
    },
    get listenerCount() {
      return listeners.size;
    },
  };
  return fake;
}

/** An in-memory KeyValueStore that round-trips through JSON like wx storage. */
export function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: (key) => {
      const text = data.get(key);
      return text === undefined ? undefined : JSON.parse(text);
    },
    set: (key, value) => void data.set(key, JSON.stringify(value)),
    remove: (key) => void data.delete(key),
  };
}

/** A scheduler with the real contract's shape: at most `limit` tasks at once, FIFO. */
export function createTestScheduler(limit = 10): TaskScheduler & {
  log: ScheduleOptions[];
  maxActive: number;
} {
  let active = 0;
  const queue: Array<() => void> = [];
  const scheduler = {
    log: [] as ScheduleOptions[],
    maxActive: 0,
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },
    schedule<T>(
      task: (info: { queuedMs: number }) => Promise<T>,
      options: ScheduleOptions = {},
    ): Promise<T> {
      scheduler.log.push(options);
      return new Promise<T>((resolve, reject) => {
        const run = () => {
          active++;
          scheduler.maxActive = Math.max(scheduler.maxActive, active);
          task({ queuedMs: 0 })
            .then(resolve, reject)
            .finally(() => {
              active--;
              queue.shift()?.();
            });
        };
        if (options.signal?.aborted) {
          reject(new AppError({ kind: 'cancelled' }));
          return;
        }
        if (active < limit) run();
        else queue.push(run);
      });
    },
  };
  return scheduler;
}

/** Lets queued microtasks and zero-delay fake-wx callbacks run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
