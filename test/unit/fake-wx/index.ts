/**
 * A deterministic fake `wx` for unit tests (typed against miniprogram-api-typings).
 *
 * Usage:
 *   const fake = createFakeWx();
 *   fake.server.ok('GET', '/api/products/:id', { id: 'p1' });
 *   const client = createHttpClient({ baseURL: 'https://api.test', wx: fake.wx });
 *   fake.network.set('none'); fake.ui.toasts; fake.storage.bytes(); fake.auth.loginCalls;
 * Time: replies with latency 0 arrive on the next microtask; any latency/timeout uses the global
 * timers, so `jest.useFakeTimers()` + `jest.advanceTimersByTimeAsync()` drive it.
 *
 * How to extend (other API families, e.g. socket.ts, files.ts, album.ts in this folder):
 *   1. Write `createXxxFamily(ctx: FakeWxContext)` returning `{ apis, control }`, where `apis` is a
 *      `Partial<WechatMiniprogram.Wx>` (see request.ts for the pattern; helpers in types.ts).
 *   2. In a test: `const sockets = fake.extend('sockets', createSocketFamily(fake.context))`;
 *      `extend` merges `apis` into `fake.wx` and returns the control (also on `fake.families`).
 *   3. Use `fake.context.online()` to honour the shared network state and `later()` for timing.
 */
import { createAuthFamily, type AuthControl } from './auth';
import { createNetworkFamily, type FakeNetworkType, type NetworkControl } from './network';
import { createRequestFamily, type RequestControl } from './request';
import { createStorageFamily, type StorageControl } from './storage';
import type { WxApis } from './types';
import { createUiFamily, type UiControl } from './ui';

export type { FakeReply, FakeRequest, FakeHandler, RequestControl } from './request';
export { OFFLINE_ERRMSG } from './request';
export type { StorageControl } from './storage';
export { KEY_LIMIT_BYTES, TOTAL_LIMIT_BYTES, keyLimitErrMsg, totalLimitErrMsg } from './storage';
export type { AuthControl } from './auth';
export type { NetworkControl, FakeNetworkType } from './network';
export type { UiControl, ModalRecord } from './ui';
export type { WxApis, WxFail } from './types';
export { later, settle } from './types';

export interface FakeWxOptions {
  /** Default reply latency in ms (0: next microtask). */
  latency?: number;
  network?: FakeNetworkType;
}

/** What a family needs from the fake it plugs into. */
export interface FakeWxContext {
  online(): boolean;
  readonly network: NetworkControl;
}

export interface FakeWx {
  /** The object to inject (or install as the global `wx`). */
  readonly wx: WechatMiniprogram.Wx;
  readonly server: RequestControl;
  readonly storage: StorageControl;
  readonly auth: AuthControl;
  readonly network: NetworkControl;
  readonly ui: UiControl;
  readonly context: FakeWxContext;
  /** Controls of families added with `extend`, by name. */
  readonly families: Record<string, unknown>;
  /** Adds (or replaces) API methods; returns the family's control. */
  extend<C>(name: string, family: { apis: WxApis; control: C }): C;
  /** Sets `globalThis.wx` to this fake; returns a function that restores the previous value. */
  installGlobal(): () => void;
}

export function createFakeWx(options: FakeWxOptions = {}): FakeWx {
  const network = createNetworkFamily();
  if (options.network) network.control.set(options.network);
  const context: FakeWxContext = { online: () => network.control.online, network: network.control };
  const request = createRequestFamily(context.online);
  request.control.latency = options.latency ?? 0;
  const storage = createStorageFamily();
  const auth = createAuthFamily();
  const ui = createUiFamily();
  const wxObject: WxApis = {
    ...network.apis,
    ...request.apis,
    ...storage.apis,
    ...auth.apis,
    ...ui.apis,
  };
  const families: Record<string, unknown> = {};
  const fake: FakeWx = {
    wx: wxObject as WechatMiniprogram.Wx,
    server: request.control,
    storage: storage.control,
    auth: auth.control,
    network: network.control,
    ui: ui.control,
    context,
    families,
    extend(name, family) {
      Object.assign(wxObject, family.apis);
      families[name] = family.control;
      return family.control;
    },
    installGlobal() {
      const holder = globalThis as { wx?: unknown };
      const previous = holder.wx;
      holder.wx = wxObject;
      return () => {
        holder.wx = previous;
      };
    },
  };
  return fake;
}
