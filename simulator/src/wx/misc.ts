import { asyncApi, syncApi, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import { paramError } from './context';
import { isArrayBufferLike, toArrayBuffer } from './network/body';
import type { NetworkConditions } from './network/state';
import type { Screen } from './ui';

export class Clipboard {
  data = '';
}

/** Calls with no visible effect on a phone are recorded (controls.history), never dropped. */
function recorded(ctx: WxContext, api: string, params: (...args: unknown[]) => object) {
  return (...args: unknown[]) => {
    ctx.record(api, params(...args) as Record<string, unknown>);
  };
}

export function createMiscApis(
  ctx: WxContext,
  clipboard: Clipboard,
  screen: Screen,
  network: NetworkConditions,
): ApiTable {
  const on = ctx.onCallbackError;
  const log =
    (level: 'debug' | 'info' | 'log' | 'warn' | 'error', prefix: string) =>
    (...args: unknown[]) =>
      ctx.host.log(level, [prefix, ...args]);

  const realtimeLog = {
    debug: log('debug', '[realtime log]'),
    info: log('info', '[realtime log]'),
    warn: log('warn', '[realtime log]'),
    error: log('error', '[realtime log]'),
    setFilterMsg: () => undefined,
    addFilterMsg: () => undefined,
    getCurrentState: () => ({ size: 0, maxSize: 5 * 1024 * 1024, logCount: 0, maxLogCount: 200 }),
    tag: () => realtimeLog,
    in: () => realtimeLog,
  };
  const logManager = {
    debug: log('debug', '[log manager]'),
    info: log('info', '[log manager]'),
    log: log('log', '[log manager]'),
    warn: log('warn', '[log manager]'),
  };

  return {
    setClipboardData: asyncApi(
      'setClipboardData',
      (o) => {
        if (typeof o.data !== 'string') throw new WxFailure(paramError('data', 'String', o.data));
        clipboard.data = o.data;
        ctx.record('setClipboardData', { data: o.data });
        // WeChat confirms a copy with its own toast.
        screen.showToast({ title: '内容已复制', icon: 'success', duration: 1500, mask: false });
        return {};
      },
      on,
    ),
    getClipboardData: asyncApi('getClipboardData', () => ({ data: clipboard.data }), on),
    reportAnalytics: recorded(ctx, 'reportAnalytics', (eventName, data) => ({ eventName, data })),
    reportEvent: recorded(ctx, 'reportEvent', (eventId, data) => ({ eventId, data })),
    reportMonitor: recorded(ctx, 'reportMonitor', (name, value) => ({ name, value })),
    reportPerformance: recorded(ctx, 'reportPerformance', (id, value, dimensions) => ({
      id,
      value,
      dimensions,
    })),
    vibrateShort: asyncApi(
      'vibrateShort',
      (o) => (ctx.record('vibrateShort', { type: o.type }), {}),
      on,
    ),
    vibrateLong: asyncApi('vibrateLong', () => (ctx.record('vibrateLong', {}), {}), on),
    getUpdateManager: () => ({
      applyUpdate: () => undefined,
      onCheckForUpdate: (fn: unknown) => {
        if (typeof fn === 'function') {
          void Promise.resolve().then(() => (fn as (r: object) => void)({ hasUpdate: false }));
        }
      },
      onUpdateReady: () => undefined,
      onUpdateFailed: () => undefined,
    }),
    getRealtimeLogManager: () => realtimeLog,
    getLogManager: () => logManager,
    getNetworkType: asyncApi(
      'getNetworkType',
      () => ({
        networkType: network.get().type,
        signalStrength: network.online ? 100 : 0,
        hasSystemProxy: false,
        weakNet: network.get().weak,
      }),
      on,
    ),
    onNetworkStatusChange: (fn) => network.statusListeners.add(fn),
    offNetworkStatusChange: (fn) => network.statusListeners.remove(fn),
    onNetworkWeakChange: (fn) => network.weakListeners.add(fn),
    offNetworkWeakChange: (fn) => network.weakListeners.remove(fn),
    arrayBufferToBase64: syncApi('arrayBufferToBase64', (buffer) => {
      if (!isArrayBufferLike(buffer)) throw new WxFailure('parameter should be ArrayBuffer');
      return Buffer.from(new Uint8Array(buffer)).toString('base64');
    }),
    base64ToArrayBuffer: syncApi('base64ToArrayBuffer', (base64) =>
      toArrayBuffer(Buffer.from(String(base64), 'base64'), ctx.host.realm?.ArrayBuffer),
    ),
  };
}
