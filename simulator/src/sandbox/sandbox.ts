import vm from 'vm';
import { Membrane } from './membrane';

/** A function that lives in the sandbox realm (its prototype chain is the sandbox's). */
export type SandboxFunction = (...args: unknown[]) => unknown;

/**
 * One vm realm that holds everything the mini program touches: the app code, exparser,
 * j-component and the wcc output. One realm, because wcc's template code compares
 * `value.constructor === Array` and so must see the same intrinsics as the data it renders.
 */
export class Sandbox {
  readonly context: vm.Context;
  private readonly wrapFactory: (
    call: (self: unknown, args: ArrayLike<unknown>) => unknown,
  ) => SandboxFunction;
  private readonly membrane: Membrane;

  constructor(name: string) {
    this.context = vm.createContext(Object.create(null) as object, {
      name,
      codeGeneration: { strings: true, wasm: false },
    });
    this.membrane = new Membrane((code) => this.evaluate(code));
    // Host functions handed to app code are wrapped in sandbox functions, so that
    // `wx.request.constructor` is the sandbox's Function and cannot compile code in Node's realm.
    this.wrapFactory = this.evaluate(
      '(function (call) { return function () { return call(this, arguments); }; })',
    ) as typeof this.wrapFactory;
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

  /**
   * A host function made callable from app and library code without exposing Node's realm: its
   * result and anything it throws reach the caller as sandbox values. Arguments pass unchanged
   * (App(), Page(), setData keep the app's own objects).
   */
  wrap<T extends (...args: never[]) => unknown>(fn: T): T {
    const host = fn as unknown as SandboxFunction;
    return this.wrapFactory((self, args) => {
      let result: unknown;
      try {
        result = host.apply(self, Array.from(args));
      } catch (error) {
        throw this.membrane.toApp(error);
      }
      return this.membrane.toApp(result);
    }) as unknown as T;
  }

  /**
   * Deep-copy plain objects/arrays into this realm (JSON-like semantics, keeps undefined); other
   * host values are converted by the membrane (functions, errors, promises, proxied objects).
   */
  copyIn<T>(value: T): T {
    return this.membrane.copy(value);
  }

  /**
   * A value for app code: its own values unchanged, host values converted (see Membrane). A host
   * function becomes an app function whose callbacks also get app-realm arguments (wx APIs).
   */
  adopt<T>(value: T): T {
    return this.membrane.toApp(value);
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
