import vm from 'vm';

/** A function that lives in the sandbox realm (its prototype chain is the sandbox's). */
export type SandboxFunction = (...args: unknown[]) => unknown;

/**
 * One vm realm that holds everything the mini program touches: the app code, exparser,
 * j-component and the wcc output. One realm, because wcc's template code compares
 * `value.constructor === Array` and so must see the same intrinsics as the data it renders.
 */
export class Sandbox {
  readonly context: vm.Context;
  private readonly wrapFactory: (fn: SandboxFunction) => SandboxFunction;
  private readonly copyFn: (value: unknown) => unknown;

  constructor(name: string) {
    this.context = vm.createContext(Object.create(null) as object, {
      name,
      codeGeneration: { strings: true, wasm: false },
    });
    // Host functions handed to app code are wrapped in sandbox functions, so that
    // `wx.request.constructor` is the sandbox's Function and cannot compile code in Node's realm.
    this.wrapFactory = this.evaluate(
      '(function (fn) { return function () { return fn.apply(this, arguments); }; })',
    ) as (fn: SandboxFunction) => SandboxFunction;
    // setData crosses from the app to the view as JSON in WeChat: copy into this realm likewise.
    this.copyFn = this.evaluate(`(function copy(value) {
      if (value === null || typeof value !== 'object') return value;
      if (Array.isArray(value)) return value.map(copy);
      var tag = Object.prototype.toString.call(value);
      if (tag === '[object Date]') return new Date(value.getTime());
      if (tag === '[object ArrayBuffer]') {
        var buffer = new ArrayBuffer(value.byteLength);
        new Uint8Array(buffer).set(new Uint8Array(value));
        return buffer;
      }
      var proto = Object.getPrototypeOf(value);
      if (proto !== null && Object.getPrototypeOf(proto) !== null) return value;
      if (tag !== '[object Object]') return value;
      var out = {};
      for (var key in value) if (Object.prototype.hasOwnProperty.call(value, key)) out[key] = copy(value[key]);
      return out;
    })`) as (value: unknown) => unknown;
  }

  /** Evaluate an expression/script in the realm (internal code only). */
  evaluate(code: string, filename = 'simulator:internal'): unknown {
    return vm.runInContext(code, this.context, { filename });
  }

  /** Compile a CommonJS-style function body in the realm. */
  compileFunction(code: string, params: string[], filename: string): SandboxFunction {
    return vm.compileFunction(code, params, {
      filename,
      parsingContext: this.context,
    }) as SandboxFunction;
  }

  /** A host function made callable from app code without exposing Node's Function. */
  wrap<T extends (...args: never[]) => unknown>(fn: T): T {
    return this.wrapFactory(fn as unknown as SandboxFunction) as unknown as T;
  }

  /** Deep-copy plain objects/arrays into this realm (JSON-like semantics, keeps undefined). */
  copyIn<T>(value: T): T {
    return this.copyFn(value) as T;
  }

  /** Define a global the app can see. */
  defineGlobal(name: string, value: unknown): void {
    Object.defineProperty(this.context, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  /** The realm's own Promise constructor (to recognise the app's promises). */
  get Promise(): PromiseConstructor {
    return this.evaluate('Promise') as PromiseConstructor;
  }
}
