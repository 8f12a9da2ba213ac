import type { Sandbox } from '../sandbox/sandbox';

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * The `wx` object app code sees: a proxy created in the sandbox realm over the merged host APIs,
 * with test mocks in front. Host functions reach the app through the sandbox's membrane, so
 * results, errors and callback payloads arrive as sandbox-realm values (see sandbox/membrane.ts).
 */
export class SandboxWx {
  readonly proxy: Record<string, unknown>;
  private readonly mocks = new Map<string, AnyFunction>();
  private readonly assigned = new Map<string, unknown>();

  constructor(
    private readonly sandbox: Sandbox,
    private readonly apis: Record<string, unknown>,
  ) {
    const factory = sandbox.evaluate(`(function (get, has, keys, set) {
      return new Proxy({}, {
        get: function (target, key) {
          if (typeof key !== 'string') return undefined;
          if (!has(key) && key in Object.prototype) return Object.prototype[key];
          return get(key);
        },
        has: function (target, key) { return typeof key === 'string' && has(key); },
        set: function (target, key, value) { if (typeof key === 'string') set(key, value); return true; },
        ownKeys: function () { return keys(); },
        getOwnPropertyDescriptor: function (target, key) {
          if (typeof key !== 'string' || !has(key)) return undefined;
          return { value: get(key), writable: true, enumerable: true, configurable: true };
        }
      });
    })`) as (
      get: (key: string) => unknown,
      has: (key: string) => boolean,
      keys: () => string[],
      set: (key: string, value: unknown) => void,
    ) => Record<string, unknown>;
    this.proxy = factory(
      sandbox.wrap((key: string) => this.get(key)),
      sandbox.wrap((key: string) => this.has(key)),
      sandbox.wrap(() => sandbox.copyIn(this.keys())),
      sandbox.wrap((key: string, value: unknown) => {
        this.assigned.set(key, value);
      }),
    );
  }

  /** The current implementation (mock, app assignment or API), unwrapped, for the runtime. */
  raw(name: string): unknown {
    if (this.mocks.has(name)) return this.mocks.get(name);
    if (this.assigned.has(name)) return this.assigned.get(name);
    return this.apis[name];
  }

  mock(name: string, fn: AnyFunction): void {
    this.mocks.set(name, fn);
  }

  restore(name: string): void {
    this.mocks.delete(name);
  }

  private has(key: string): boolean {
    return this.mocks.has(key) || this.assigned.has(key) || key in this.apis;
  }

  private keys(): string[] {
    return [...new Set([...Object.keys(this.apis), ...this.assigned.keys(), ...this.mocks.keys()])];
  }

  /** The API as app code sees it without mocks (`this.origin` inside a function mock). */
  original(key: string): unknown {
    return key in this.apis ? this.toSandbox(this.apis[key]) : undefined;
  }

  private get(key: string): unknown {
    if (this.assigned.has(key)) return this.assigned.get(key);
    return this.toSandbox(this.mocks.get(key) ?? this.apis[key]);
  }

  /** Through the membrane: host APIs become app-realm functions whose results, errors and
   * callback payloads arrive as app-realm values; mocks compiled in the app realm stay as they are. */
  private toSandbox(value: unknown): unknown {
    return typeof value === 'function' ? this.sandbox.adopt(value) : this.sandbox.copyIn(value);
  }
}
