/** Types shared by the fake `wx` families. Each family is a factory that returns its `wx` methods
 * plus a control object the test drives. */

export type WxApis = Partial<WechatMiniprogram.Wx>;

/** The fail result every wx API passes to `fail` (and sync APIs throw as an Error message). */
export interface WxFail {
  errMsg: string;
  errno?: number;
}

interface Callbacks<S> {
  success?: (r: S) => void;
  fail?: (r: WxFail) => void;
  complete?: (r: S | WxFail) => void;
}

/** Calls the success/fail/complete callbacks the way wx does, and returns a promise when no
 * callback was given (the base library's promisified form). */
export function settle<S extends object>(
  rawOption: object | undefined,
  outcome: { ok: true; value: S } | { ok: false; error: WxFail },
): Promise<S> | undefined {
  // Every wx option object carries these callbacks; their exact types differ per API.
  const option = rawOption as Callbacks<S> | undefined;
  const hasCallback = !!option && !!(option.success || option.fail || option.complete);
  if (outcome.ok) {
    option?.success?.(outcome.value);
    option?.complete?.(outcome.value);
    return hasCallback ? undefined : Promise.resolve(outcome.value);
  }
  option?.fail?.(outcome.error);
  option?.complete?.(outcome.error);
  return hasCallback ? undefined : Promise.reject(outcome.error);
}

/** Runs `fn` after `ms` on the (possibly fake) timers; 0 means the next microtask, so benchmarks
 * and tests without timers stay fast. Returns a cancel function. */
export function later(ms: number, fn: () => void): () => void {
  if (ms <= 0) {
    let cancelled = false;
    void Promise.resolve().then(() => {
      if (!cancelled) fn();
    });
    return () => {
      cancelled = true;
    };
  }
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}

/** UTF-8 byte length without Node's Buffer (the unit tsconfig has no node types). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
