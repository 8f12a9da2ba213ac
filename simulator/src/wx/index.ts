import type { SimulatorControls } from './controls';
import type { WxHost, WxOptions } from './host';

export type { WxHost, WxOptions, WxLogType, NetworkType, ScopeState, Theme } from './host';
export type * from './controls';

/** A wx API as the app sees it. Arguments come from app code, so every API validates them. */
export type WxFunction = (...args: unknown[]) => unknown;

export interface WxInstance {
  /** This layer's APIs by name. The runtime merges its own (routing, selectors, ...) over them. */
  apis: Record<string, WxFunction>;
  controls: SimulatorControls;
  /**
   * Wrap the merged wx object the app will see: registers every name for canIUse and makes a
   * call to a real-but-unemulated WeChat API fail loudly (and log) instead of being undefined.
   */
  wrap(merged: Record<string, unknown>): Record<string, unknown>;
  /** Close sockets, abort requests, stop timers, flush storage. */
  dispose(): void;
}

export function createWx(host: WxHost, options: WxOptions = {}): WxInstance {
  void host;
  void options;
  throw new Error('createWx: not implemented yet');
}
