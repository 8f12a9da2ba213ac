import { deliver, optionsOf, usesCallbacks } from './callback';
import type { WxContext } from './context';
import { WECHAT_API_NAMES } from './known-apis';
import type { WxFunction } from './types';

/** Components the simulator renders, for `canIUse('button.open-type.share')`-style checks. */
const COMPONENTS = new Set(
  (
    'view scroll-view swiper swiper-item movable-area movable-view cover-view cover-image icon ' +
    'text rich-text progress button checkbox checkbox-group form input label picker ' +
    'picker-view picker-view-column radio radio-group slider switch textarea navigator image ' +
    'block page-meta navigation-bar'
  ).split(' '),
);

/** APIs that return a value or register a listener: they cannot "fail", so they throw. */
function isSyncShaped(name: string): boolean {
  return /Sync$|^(create|on|off)[A-Z]|Manager$|^get\w+Manager|^getRecorderManager/.test(name);
}

/**
 * A real WeChat API the simulator does not emulate: calling it logs an error and throws (sync
 * shapes) or fails (async shapes) naming it, so a test never passes through a silent no-op.
 */
export function notEmulated(ctx: WxContext, name: string): WxFunction {
  // FileSystemManager methods report errMsg under their own name (`openSync:fail ...`).
  const isManagerMethod = name.startsWith('FileSystemManager.');
  const message = `${isManagerMethod ? '' : 'wx.'}${name} is not emulated by the headless simulator`;
  const api = isManagerMethod ? name.slice('FileSystemManager.'.length) : name;
  return (arg?: unknown) => {
    ctx.host.log('error', [message]);
    const ErrorCtor = ctx.host.realm?.Error ?? Error;
    if (isSyncShaped(api)) throw new ErrorCtor(`${api}:fail ${message}`);
    const result = { errMsg: `${api}:fail ${message}` };
    let options: Record<string, unknown> = {};
    try {
      options = optionsOf(arg);
    } catch {
      // a non-object argument still fails with the same message
    }
    if (usesCallbacks(options)) {
      void Promise.resolve().then(() => deliver(options, false, result, ctx.onCallbackError));
      return undefined;
    }
    return Promise.reject(result);
  };
}

/**
 * canIUse as WeChat answers it, for what this simulator emulates: `api`, `api.x.y` (true when the
 * API is emulated) and `component.attr.value` (true for rendered components).
 */
export function canIUse(schema: unknown, isEmulated: (name: string) => boolean): boolean {
  if (typeof schema !== 'string' || schema === '') return false;
  const [head] = schema.split('.');
  return isEmulated(head) || COMPONENTS.has(head);
}

/**
 * Wraps the merged wx object: names it has are served as is; real WeChat names it lacks fail
 * loudly; anything else is `undefined`, as on a phone, so `typeof wx.foo` checks stay truthful.
 */
export function wrapWx(ctx: WxContext, target: Record<string, unknown>): Record<string, unknown> {
  const stubs = new Map<string, WxFunction>();
  // wx.cloud is an object on a phone: every method of it fails loudly here (`wx.cloud.init ...`).
  const cloudStubs = new Map<string, WxFunction>();
  const cloud = new Proxy(
    {},
    {
      get(_obj, prop) {
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        let stub = cloudStubs.get(prop);
        if (!stub) {
          stub = notEmulated(ctx, `cloud.${prop}`);
          cloudStubs.set(prop, stub);
        }
        return stub;
      },
    },
  );
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop !== 'string' || prop in obj) return Reflect.get(obj, prop, receiver);
      if (prop === 'cloud') return cloud;
      if (!WECHAT_API_NAMES.has(prop)) return undefined;
      let stub = stubs.get(prop);
      if (!stub) {
        stub = notEmulated(ctx, prop);
        stubs.set(prop, stub);
      }
      return stub;
    },
    has(obj, prop) {
      return (
        prop in obj || prop === 'cloud' || (typeof prop === 'string' && WECHAT_API_NAMES.has(prop))
      );
    },
  });
}
