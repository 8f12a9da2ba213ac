/** A failure whose message becomes `<api>:fail <message>`. */
export class ApiFailure extends Error {}

export type AsyncImpl = (
  params: Record<string, unknown>,
) => Promise<Record<string, unknown> | void>;

interface CallbackParams {
  success?: (res: unknown) => void;
  fail?: (res: unknown) => void;
  complete?: (res: unknown) => void;
}

/**
 * WeChat's calling convention for the runtime's own async APIs: success/fail/complete callbacks,
 * or a Promise when none is given; `errMsg` is `<name>:ok` or `<name>:fail <reason>`.
 * `adopt` copies results into the app's realm; `report` receives errors thrown by callbacks.
 */
export function asyncApi(
  name: string,
  impl: AsyncImpl,
  adopt: <T>(value: T) => T,
  report: (error: unknown) => void,
): (params?: unknown) => Promise<unknown> | undefined {
  return (params?: unknown) => {
    const options = (params && typeof params === 'object' ? params : {}) as Record<
      string,
      unknown
    > &
      CallbackParams;
    const hasCallbacks = ['success', 'fail', 'complete'].some(
      (key) => typeof options[key] === 'function',
    );
    const run = async (): Promise<Record<string, unknown>> => {
      try {
        const result = (await impl(options)) ?? {};
        return { errMsg: `${name}:ok`, ...result };
      } catch (error) {
        const reason =
          error instanceof ApiFailure ? error.message : `${(error as Error)?.message ?? error}`;
        throw { errMsg: `${name}:fail ${reason}`.trimEnd() };
      }
    };
    const call = (fn: ((res: unknown) => void) | undefined, res: unknown): void => {
      if (typeof fn !== 'function') return;
      try {
        fn(adopt(res));
      } catch (error) {
        report(error);
      }
    };
    const promise = run();
    if (!hasCallbacks) {
      return promise.then(
        (res) => adopt(res),
        (res: unknown) => Promise.reject(adopt(res)),
      );
    }
    promise.then(
      (res) => {
        call(options.success, res);
        call(options.complete, res);
      },
      (res: unknown) => {
        call(options.fail, res);
        call(options.complete, res);
      },
    );
    return undefined;
  };
}
