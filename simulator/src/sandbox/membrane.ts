type AnyFunction = (...args: unknown[]) => unknown;
type AnyObject = Record<PropertyKey, unknown>;

/** Typed-array constructors by name; a host view becomes a copy made by the app realm's one. */
const VIEW_NAMES = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

/** How deep into an app's options object callbacks are looked for (`{ events: { fn } }`). */
const CALLBACK_DEPTH = 3;

interface RealmIntrinsics {
  Object: ObjectConstructor;
  Function: FunctionConstructor;
  Promise: PromiseConstructor;
  Error: ErrorConstructor;
  ArrayBuffer: ArrayBufferConstructor;
  DataView: DataViewConstructor;
  [name: string]: unknown;
}

/**
 * The boundary between Node's realm (the simulator) and the app's vm realm. Every value the app
 * receives from the host goes through `toApp`: plain data is copied into the app realm, host
 * functions become app-realm functions, host errors/promises/typed arrays become app-realm ones
 * and other host objects (RequestTask, FileSystemManager, ...) are seen through app-realm proxies.
 * So no `.constructor` chain from anything the app holds leads to Node's `Function` (and from
 * there to `process` or `require`). Values the app passes in go through `toHost`: its callbacks
 * become host functions that hand their arguments to the app the same way.
 */
export class Membrane {
  private readonly app: RealmIntrinsics;
  private readonly copyFn: (value: unknown) => unknown;
  private readonly makeFunction: (call: AnyFunction) => AnyFunction;
  private readonly makeProxy: (target: object) => object;
  /** host function → its app-realm face, and back. */
  private readonly appFaces = new WeakMap<object, unknown>();
  private readonly hostOf = new WeakMap<object, object>();
  /** app callback → the host function that calls it, and back (so off* finds what on* got). */
  private readonly hostCallbacks = new WeakMap<object, AnyFunction>();
  private readonly appCallbacks = new WeakMap<object, unknown>();
  /** host object → its methods' app-realm faces. */
  private readonly methodsOf = new WeakMap<object, Map<AnyFunction, unknown>>();

  constructor(evaluate: (code: string) => unknown) {
    this.app = evaluate(
      `({ ${['Object', 'Function', 'Promise', 'Error', 'ArrayBuffer', 'DataView', ...VIEW_NAMES]
        .map((name) => `${name}: ${name}`)
        .join(
          ', ',
        )}, errors: { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError } })`,
    ) as RealmIntrinsics;
    const foreign = (value: unknown): unknown => this.convert(value as object);
    // The deep copy runs in the app realm, so the objects and arrays it makes are the app's.
    // Anything that is not plain data is kept when it is the app's own (`instanceof` the app's
    // Object) and converted when it is the host's.
    this.copyFn = (
      evaluate(`(function (foreign) {
      return function copy(value) {
        if (value === null) return value;
        var type = typeof value;
        if (type === 'function') return value instanceof Object ? value : foreign(value);
        if (type !== 'object') return value;
        if (Array.isArray(value)) {
          var list = [];
          for (var i = 0; i < value.length; i++) list.push(copy(value[i]));
          return list;
        }
        var tag = Object.prototype.toString.call(value);
        if (tag === '[object Date]') return new Date(value.getTime());
        if (tag === '[object ArrayBuffer]') {
          var buffer = new ArrayBuffer(value.byteLength);
          new Uint8Array(buffer).set(new Uint8Array(value));
          return buffer;
        }
        var proto = Object.getPrototypeOf(value);
        var plain = proto === null || Object.getPrototypeOf(proto) === null;
        if (!plain || tag !== '[object Object]') return value instanceof Object ? value : foreign(value);
        var out = {};
        for (var key in value) if (Object.prototype.hasOwnProperty.call(value, key)) out[key] = copy(value[key]);
        return out;
      };
    })`) as (foreign: AnyFunction) => (value: unknown) => unknown
    )(foreign);
    // An app-realm function whose only link to the host is the closed-over `call`.
    this.makeFunction = evaluate(`(function (call) {
      return function () { return call(this, arguments); };
    })`) as (call: AnyFunction) => AnyFunction;
    const hostProxy = this.proxyHandlers();
    this.makeProxy = (
      evaluate(`(function (get, set, has, keys, describe, remove) {
      return function (target) {
        return new Proxy({}, {
          get: function (t, key) { return get(target, key); },
          set: function (t, key, value) { return set(target, key, value); },
          has: function (t, key) { return has(target, key); },
          ownKeys: function () { return keys(target); },
          getOwnPropertyDescriptor: function (t, key) { return describe(target, key); },
          deleteProperty: function (t, key) { return remove(target, key); },
          defineProperty: function () { return false; },
          setPrototypeOf: function () { return false; }
        });
      };
    })`) as (...traps: AnyFunction[]) => (target: object) => object
    )(
      hostProxy.get,
      hostProxy.set,
      hostProxy.has,
      hostProxy.keys,
      hostProxy.describe,
      hostProxy.remove,
    );
  }

  /** Deep copy of plain data into the app realm (setData semantics); host objects converted. */
  copy<T>(value: T): T {
    return this.copyFn(value) as T;
  }

  /** A value for app code: the app's own values unchanged, host values converted or copied. */
  toApp<T>(value: T): T {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (value instanceof this.app.Object) return value;
    if (Object.getPrototypeOf(value) === null) return value;
    return this.copyFn(value) as T;
  }

  /**
   * A value the app hands to the host: membrane proxies/functions back to what they stand for,
   * app callbacks (also inside an options object) to host functions whose arguments reach the
   * app through `toApp`. Other app values pass unchanged (the host only reads them).
   */
  toHost(value: unknown, depth = 0): unknown {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    const host = this.hostOf.get(value);
    if (host) return host;
    if (typeof value === 'function') {
      if (!(value instanceof this.app.Function)) return value;
      return this.hostCallback(value as AnyFunction);
    }
    if (depth >= CALLBACK_DEPTH || Array.isArray(value) || !this.isPlainAppObject(value)) {
      return value;
    }
    let copy: AnyObject | null = null;
    for (const key of Object.keys(value)) {
      const item = (value as AnyObject)[key];
      if (item === null || (typeof item !== 'object' && typeof item !== 'function')) continue;
      const converted = this.toHost(item, depth + 1);
      if (converted !== item) {
        copy ??= { ...(value as AnyObject) };
        copy[key] = converted;
      }
    }
    return copy ?? value;
  }

  private isPlainAppObject(value: object): boolean {
    const proto = Object.getPrototypeOf(value) as unknown;
    return proto === this.app.Object.prototype;
  }

  private hostCallback(fn: AnyFunction): AnyFunction {
    let host = this.hostCallbacks.get(fn);
    if (!host) {
      const toApp = (value: unknown): unknown => this.toApp(value);
      host = function (this: unknown, ...args: unknown[]) {
        return fn.apply(toApp(this), args.map(toApp));
      };
      this.hostCallbacks.set(fn, host);
      this.appCallbacks.set(host, fn);
    }
    return host;
  }

  /** A host value that is not plain data, seen from the app realm. */
  private convert(value: object): unknown {
    const back = this.appCallbacks.get(value);
    if (back) return back;
    const known = this.appFaces.get(value);
    if (known) return known;
    let face: unknown;
    if (typeof value === 'function') {
      const fn = value as AnyFunction;
      face = this.makeFunction((self, args) => this.callHost(fn, self, args as ArrayLike<unknown>));
    } else if (value instanceof Promise) {
      // Not cached: a fresh app promise per hand-over is fine (then() chains are the app's).
      return new this.app.Promise((resolve, reject) => {
        value.then(
          (result) => resolve(this.toApp(result)),
          (reason) => reject(this.toApp(reason)),
        );
      });
    } else if (value instanceof Error) {
      face = this.appError(value);
    } else if (ArrayBuffer.isView(value)) {
      face = this.appView(value);
    } else {
      face = this.makeProxy(value);
      this.hostOf.set(face as object, value);
    }
    this.appFaces.set(value, face);
    if (typeof face === 'function') this.hostOf.set(face, value);
    return face;
  }

  private callHost(fn: AnyFunction, self: unknown, args: ArrayLike<unknown>): unknown {
    let result: unknown;
    try {
      // `this` is only mapped back, never scanned: for `wx.request(...)` it is the whole wx proxy.
      const host = self !== null && typeof self === 'object' ? this.hostOf.get(self) : undefined;
      result = fn.apply(
        host ?? self,
        Array.from(args, (arg) => this.toHost(arg)),
      );
    } catch (error) {
      throw this.toApp(error);
    }
    return this.toApp(result);
  }

  private appError(error: Error): Error {
    const errors = this.app.errors as Record<string, ErrorConstructor>;
    const Ctor = errors[error.name] ?? this.app.Error;
    const copy = new Ctor(error.message);
    if (Ctor === this.app.Error && error.name !== 'Error') copy.name = error.name;
    if (error.stack !== undefined) copy.stack = error.stack;
    for (const key of Object.keys(error)) {
      (copy as unknown as AnyObject)[key] = this.toApp((error as unknown as AnyObject)[key]);
    }
    return copy;
  }

  private appView(view: ArrayBufferView): unknown {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const buffer = new this.app.ArrayBuffer(view.byteLength);
    new (this.app.Uint8Array as Uint8ArrayConstructor)(buffer).set(bytes);
    if (view instanceof DataView) return new this.app.DataView(buffer);
    // Buffer is Node's: the app gets the Uint8Array a phone would have.
    const name = view instanceof Buffer ? 'Uint8Array' : view.constructor.name;
    const Ctor = (this.app[name] ?? this.app.Uint8Array) as new (buffer: ArrayBuffer) => unknown;
    return new Ctor(buffer);
  }

  private proxyHandlers(): Record<
    'get' | 'set' | 'has' | 'keys' | 'describe' | 'remove',
    AnyFunction
  > {
    const membrane = {
      toApp: (value: unknown) => this.toApp(value),
      toHost: (value: unknown) => this.toHost(value),
      copy: (value: unknown) => this.copy(value),
      boundMethod: (target: object, method: AnyFunction) => this.boundMethod(target, method),
    };
    return {
      get: (target, key) => {
        const value = Reflect.get(target as object, key as PropertyKey);
        // Methods run on the real object (private fields, getters), never on the proxy.
        if (typeof value === 'function') return membrane.boundMethod(target as object, value);
        return membrane.toApp(value);
      },
      set: (target, key, value) =>
        Reflect.set(target as object, key as PropertyKey, membrane.toHost(value)),
      has: (target, key) => Reflect.has(target as object, key as PropertyKey),
      keys: (target) => membrane.copy(Reflect.ownKeys(target as object)),
      describe: (target, key) => {
        const own = Reflect.getOwnPropertyDescriptor(target as object, key as PropertyKey);
        if (!own) return undefined;
        const value = Reflect.get(target as object, key as PropertyKey);
        return membrane.copy({
          value:
            typeof value === 'function'
              ? membrane.boundMethod(target as object, value as AnyFunction)
              : membrane.toApp(value),
          writable: true,
          enumerable: own.enumerable,
          configurable: true,
        });
      },
      remove: (target, key) => Reflect.deleteProperty(target as object, key as PropertyKey),
    };
  }

  /** `task.abort` as the app sees it: the same function each time, run with the task as `this`. */
  private boundMethod(target: object, method: AnyFunction): unknown {
    let methods = this.methodsOf.get(target);
    if (!methods) {
      methods = new Map();
      this.methodsOf.set(target, methods);
    }
    let face = methods.get(method);
    if (!face) {
      face = this.makeFunction((_self, args) =>
        this.callHost(method, target, args as ArrayLike<unknown>),
      );
      this.hostOf.set(face as object, method);
      methods.set(method, face);
    }
    return face;
  }
}
