/** Fake network status: getNetworkType, onNetworkStatusChange/offNetworkStatusChange, set(). */
import { later, settle } from './types';

export type FakeNetworkType = 'wifi' | '2g' | '3g' | '4g' | '5g' | 'unknown' | 'none';

export interface NetworkControl {
  readonly type: FakeNetworkType;
  readonly online: boolean;
  /** Changes the state and notifies listeners synchronously (as one wx event). */
  set(type: FakeNetworkType): void;
  readonly listenerCount: number;
}

type Listener = (result: { isConnected: boolean; networkType: string }) => void;

export function createNetworkFamily(): {
  apis: Pick<
    WechatMiniprogram.Wx,
    'getNetworkType' | 'onNetworkStatusChange' | 'offNetworkStatusChange'
  >;
  control: NetworkControl;
} {
  let type: FakeNetworkType = 'wifi';
  const listeners = new Set<Listener>();
  const control: NetworkControl = {
    get type() {
      return type;
    },
    get online() {
      return type !== 'none';
    },
    set(next) {
      if (next === type) return;
      type = next;
      for (const listener of [...listeners])
        listener({ isConnected: next !== 'none', networkType: next });
    },
    get listenerCount() {
      return listeners.size;
    },
  };
  const apis = {
    getNetworkType(option?: object) {
      const value = {
        networkType: type,
        signalStrength: 0,
        hasSystemProxy: false,
        errMsg: 'getNetworkType:ok',
      };
      const hasCallback = option && Object.keys(option).length > 0;
      if (!hasCallback) return Promise.resolve(value);
      later(0, () => settle(option, { ok: true, value }));
      return undefined;
    },
    onNetworkStatusChange(listener: Listener) {
      listeners.add(listener);
    },
    offNetworkStatusChange(listener?: Listener) {
      if (listener) listeners.delete(listener);
      else listeners.clear();
    },
  };
  return {
    apis: apis as unknown as Pick<
      WechatMiniprogram.Wx,
      'getNetworkType' | 'onNetworkStatusChange' | 'offNetworkStatusChange'
    >,
    control,
  };
}
