import type { WxRecord } from './controls';
import type { WxHost, WxOptions } from './host';
import type { WxFunction } from './types';

/** What every API family shares: the host, the options and the call log. */
export interface WxContext {
  host: WxHost;
  options: WxOptions;
  /** Where exceptions thrown by app callbacks go (logged as errors, like WeChat's console). */
  onCallbackError(error: unknown): void;
  /** Records a call for `controls.history()`. */
  record(api: string, params: Record<string, unknown>): void;
  history: WxRecord[];
  /** Registered on dispose(). */
  disposers: Array<() => void>;
}

export function createContext(host: WxHost, options: WxOptions): WxContext {
  const history: WxRecord[] = [];
  return {
    host,
    options,
    history,
    disposers: [],
    onCallbackError(error) {
      host.log('error', ['Error in wx callback:', error instanceof Error ? error.stack : error]);
    },
    record(api, params) {
      history.push({ api, params: plainParams(params), at: Date.now() });
    },
  };
}

/** Callback functions are not data: drop them so history stays JSON-able. */
export function plainParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v !== 'function') out[k] = v;
  return out;
}

export type ApiTable = Record<string, WxFunction>;

/** Parameter checks with WeChat's wording: `parameter.url should be String instead of Number;`. */
export function typeName(value: unknown): string {
  if (value === null) return 'Null';
  if (value === undefined) return 'Undefined';
  if (Array.isArray(value)) return 'Array';
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  const t = typeof value;
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function paramError(field: string, expected: string, value: unknown): string {
  return `parameter error: parameter.${field} should be ${expected} instead of ${typeName(value)};`;
}
