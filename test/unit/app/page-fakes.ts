/** Small fakes for page-controller tests: a page view, an api http, connectivity. */
import type { ApiHttp, ApiRequestOptions } from '../../../miniprogram/services/ports';
import type { PageView } from '../../../miniprogram/services/page-view';
import type { ConnectivityState } from '../../../miniprogram/utils/contracts';

/** Applies setData path keys (`list[3]`, `a.b`, `messages[0].status`) the way WeChat does. */
export function fakeView<D extends object>(
  initial: D,
): PageView<D> & { patches: Record<string, unknown>[] } {
  const data = structuredClone(initial) as Record<string, unknown>;
  const patches: Record<string, unknown>[] = [];
  return {
    get data() {
      return data as D;
    },
    patches,
    setData(patch) {
      patches.push(patch);
      for (const [path, value] of Object.entries(patch)) {
        const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
        let target = data as Record<string, unknown>;
        for (const key of keys.slice(0, -1)) {
          if (target[key] === undefined) target[key] = {};
          target = target[key] as Record<string, unknown>;
        }
        target[keys[keys.length - 1]] = value;
      }
    },
  };
}

export interface HttpCall {
  options: ApiRequestOptions<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Every request waits until the test answers it. */
export function fakeHttp(): ApiHttp & { calls: HttpCall[] } {
  const calls: HttpCall[] = [];
  return {
    calls,
    request<T>(options: ApiRequestOptions<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        calls.push({
          options: options as ApiRequestOptions<unknown>,
          resolve: (value) => resolve(value as T),
          reject,
        });
      });
    },
  };
}

export function fakeConnectivity(online = true) {
  let state: ConnectivityState = { online, networkType: online ? 'wifi' : 'none', weak: false };
  const listeners = new Set<(state: ConnectivityState) => void>();
  return {
    get state() {
      return state;
    },
    subscribe(listener: (s: ConnectivityState) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForOnline: () => Promise.resolve(),
    set(next: boolean) {
      state = { ...state, online: next, networkType: next ? 'wifi' : 'none' };
      listeners.forEach((listener) => listener(state));
    },
    listenerCount: () => listeners.size,
  };
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
