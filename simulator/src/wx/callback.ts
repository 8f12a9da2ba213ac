import type { WxFunction } from './types';

/** A failure an API reports as `<api>:fail <reason>` (WeChat's errMsg shape). */
export class WxFailure extends Error {
  constructor(
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

export type WxOptionsObject = Record<string, unknown>;
type Callback = (res: unknown) => void;

/** Reports an exception thrown by app code inside a callback (WeChat reports it, never swallows). */
export type CallbackErrorSink = (error: unknown) => void;

/** The options object of a call: `{}` when omitted, a failure when it is not an object. */
export function optionsOf(arg: unknown): WxOptionsObject {
  if (arg == null) return {};
  if (typeof arg !== 'object') throw new WxFailure('parameter error: options should be Object');
  return arg as WxOptionsObject;
}

function callbackOf(options: WxOptionsObject, name: 'success' | 'fail' | 'complete') {
  const fn = options[name];
  return typeof fn === 'function' ? (fn as Callback) : undefined;
}

/** WeChat's promisify rule: a Promise only when none of success/fail/complete is given. */
export function usesCallbacks(options: WxOptionsObject): boolean {
  return ['success', 'fail', 'complete'].some((k) => typeof options[k] === 'function');
}

export function okResult(api: string, payload: object = {}): Record<string, unknown> {
  return { ...payload, errMsg: `${api}:ok` };
}

export function failResult(api: string, error: unknown): Record<string, unknown> {
  if (error instanceof WxFailure) {
    return { ...error.extra, errMsg: error.reason ? `${api}:fail ${error.reason}` : `${api}:fail` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { errMsg: `${api}:fail ${message}` };
}

/** Delivers a settled call to the app's callbacks (never synchronously, errors reported). */
export function deliver(
  options: WxOptionsObject,
  ok: boolean,
  result: Record<string, unknown>,
  onError: CallbackErrorSink,
): void {
  const run = (fn: Callback | undefined) => {
    if (!fn) return;
    try {
      fn(result);
    } catch (error) {
      onError(error);
    }
  };
  run(callbackOf(options, ok ? 'success' : 'fail'));
  run(callbackOf(options, 'complete'));
}

export type AsyncImpl = (options: WxOptionsObject) => Promise<object> | object;

/**
 * An async wx API: callbacks when any is given, otherwise a Promise that resolves with the success
 * result or rejects with the fail result (`{ errMsg }`), as WeChat's promisified APIs do.
 */
export function asyncApi(api: string, impl: AsyncImpl, onError: CallbackErrorSink): WxFunction {
  return (arg?: unknown) => {
    let options: WxOptionsObject;
    try {
      options = optionsOf(arg);
    } catch (error) {
      return Promise.reject(failResult(api, error));
    }
    const settled = Promise.resolve()
      .then(() => impl(options))
      .then(
        (payload) => ({ ok: true, result: okResult(api, payload) }),
        (error: unknown) => ({ ok: false, result: failResult(api, error) }),
      );
    if (usesCallbacks(options)) {
      void settled.then(({ ok, result }) => deliver(options, ok, result, onError));
      return undefined;
    }
    return settled.then(({ ok, result }) => (ok ? result : Promise.reject(result)));
  };
}

/** A sync API: returns the value, throws `Error('<api>:fail <reason>')` as WeChat does. */
export function syncApi(
  api: string,
  impl: (...args: unknown[]) => unknown,
  ErrorCtor: ErrorConstructor = Error,
): WxFunction {
  return (...args: unknown[]) => {
    try {
      return impl(...args);
    } catch (error) {
      throw new ErrorCtor(String(failResult(api, error).errMsg));
    }
  };
}
