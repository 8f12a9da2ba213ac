import {
  argsOf,
  needsRendering,
  requireString,
  toJson,
  type Handlers,
  type ProtocolContext,
} from './context';

type AnyFunction = (...args: unknown[]) => unknown;

/** APIs called without callbacks: they return their answer directly. */
const SYNC_API =
  /(Sync$|^(create|on|off|canIUse|nextTick|get\w*Manager$|reportAnalytics|reportEvent))/;

/** App.* */
export function appMethods(ctx: ProtocolContext): Handlers {
  const { runtime } = ctx;
  const pageSummary = (page: { pageId: number; route: string; query: Record<string, string> }) => ({
    pageId: page.pageId,
    path: page.route,
    query: { ...page.query },
  });
  return {
    'App.getPageStack': () => ({ pageStack: runtime.pages.map(pageSummary) }),
    'App.getCurrentPage': () => {
      const page = runtime.currentPage;
      if (!page) throw new Error('no page is open');
      return pageSummary(page);
    },
    'App.callWxMethod': async (params) => {
      if (params.pluginId) throw new Error('plugins are not supported by the headless simulator');
      const method = requireString(params, 'method');
      const args = runtime.sandbox.copyIn(argsOf(params));
      const fn = runtime.wx.raw(method);
      if (typeof fn !== 'function') throw new Error(`wx.${method} is not a function`);
      if (SYNC_API.test(method)) {
        const result = await (fn as AnyFunction)(...args);
        return { result: toJson(result) };
      }
      return await new Promise((resolve, reject) => {
        const first =
          args[0] && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : {};
        const options = {
          ...first,
          success: (res: unknown) => resolve({ result: toJson(res) }),
          fail: (res: unknown) =>
            reject(new Error(String((res as { errMsg?: unknown })?.errMsg ?? res))),
        };
        try {
          (fn as AnyFunction)(options, ...args.slice(1));
        } catch (error) {
          reject(error);
        }
      });
    },
    'App.mockWxMethod': (params) => {
      if (params.pluginId) throw new Error('plugins are not supported by the headless simulator');
      const method = requireString(params, 'method');
      if (typeof params.functionDeclaration === 'string') {
        const fn = runtime.compileFunction(params.functionDeclaration);
        const extra = runtime.sandbox.copyIn(argsOf(params));
        const origin = runtime.wx.original(method);
        const self = runtime.sandbox.copyIn({}) as Record<string, unknown>;
        self.origin = origin;
        // Built in the app realm: the mock gets the app's own arguments (its callbacks), as the
        // app would if it called the mock directly.
        const bindMock = runtime.sandbox.evaluate(`(function (fn, self, extra) {
          return function () { return fn.apply(self, Array.prototype.slice.call(arguments).concat(extra)); };
        })`) as (fn: unknown, self: unknown, extra: unknown) => AnyFunction;
        runtime.wx.mock(method, bindMock(fn, self, extra));
      } else if (Object.prototype.hasOwnProperty.call(params, 'result')) {
        const value = params.result;
        const SandboxPromise = runtime.sandbox.Promise;
        runtime.wx.mock(method, (options?: unknown) => {
          const result = runtime.sandbox.copyIn(value);
          if (SYNC_API.test(method)) return result;
          const callbacks = (options && typeof options === 'object' ? options : {}) as Record<
            string,
            unknown
          >;
          if (['success', 'fail', 'complete'].some((key) => typeof callbacks[key] === 'function')) {
            setTimeout(() => {
              runtime.guard(`${method} mock success`, () =>
                (callbacks.success as AnyFunction | undefined)?.(result),
              );
              runtime.guard(`${method} mock complete`, () =>
                (callbacks.complete as AnyFunction | undefined)?.(result),
              );
            }, 0);
            return undefined;
          }
          return SandboxPromise.resolve(result);
        });
      } else {
        runtime.wx.restore(method);
      }
      return {};
    },
    'App.callFunction': async (params) => {
      const declaration = requireString(params, 'functionDeclaration');
      const result = await runtime.evaluate(declaration, argsOf(params));
      return { result: toJson(result) };
    },
    'App.exit': () => {
      runtime.sendToBackground();
      return {};
    },
    'App.enableLog': () => {
      ctx.enableLog();
      return {};
    },
    'App.addBinding': (params) => {
      runtime.addBinding(requireString(params, 'name'));
      return {};
    },
    'App.captureScreenshot': async () => {
      if (!ctx.rendering) throw needsRendering('App.captureScreenshot');
      return await ctx.rendering.captureScreenshot();
    },
  };
}
