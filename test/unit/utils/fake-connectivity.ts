/** A controllable Connectivity (the real one lives in network.ts, owned by the realtime half). */
import { AppError } from '../../../miniprogram/utils/errors';
import type { CancelSignal } from '../../../miniprogram/utils/cancel';
import type { Connectivity, ConnectivityState } from '../../../miniprogram/utils/contracts';

export class TestConnectivity implements Connectivity {
  state: ConnectivityState = { online: true, networkType: 'wifi', weak: false };
  private listeners = new Set<(state: ConnectivityState) => void>();

  set(online: boolean, weak = false): void {
    this.state = { online, networkType: online ? (weak ? '2g' : 'wifi') : 'none', weak };
    for (const listener of [...this.listeners]) listener(this.state);
  }

  subscribe(listener: (state: ConnectivityState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  waitForOnline(signal?: CancelSignal): Promise<void> {
    if (this.state.online) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const off = this.subscribe((state) => {
        if (!state.online) return;
        off();
        resolve();
      });
      signal?.onAbort((reason) => {
        off();
        reject(new AppError({ kind: 'cancelled', cause: reason }));
      });
    });
  }
}
