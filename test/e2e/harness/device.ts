/**
 * The ONE place specs touch the phone beyond the public automator API.
 *
 * Headless: the simulator's controls through the harness's control bridge (network, login user,
 * permission grants and the settings page script, chooseMedia fixtures, modal answers, UI history,
 * album, storage, app hide/show, restart).
 * Real DevTools: what the automator can fake (`mp.mockWxMethod`) is faked; a capability with no
 * equivalent throws `CapabilityMissing`, which `scenario()` reports as a skip of that scenario
 * with the reason, never as a silent pass.
 */
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import { httpRequest } from './backend';
import type { E2eState } from './state';

export type NetworkType = 'wifi' | '2g' | '3g' | '4g' | '5g' | 'unknown' | 'none';
export type ScopeState = 'granted' | 'denied' | 'unasked';

export interface NetworkPatch {
  online?: boolean;
  type?: NetworkType;
  latencyMs?: number;
  weak?: boolean;
}

export interface UiRecord {
  api: string;
  params: Record<string, unknown>;
  at: number;
}

/** The screen chrome the simulator draws (tab bar labels, pull-down indicator). */
export interface ChromeView {
  tabBar: { items: Array<{ pagePath: string; text: string }> } | null;
  pullDownRefreshing: boolean;
  navigationBar: { title: string };
}

export class CapabilityMissing extends Error {
  constructor(capability: string) {
    super(`skipped under real WeChat DevTools: "${capability}" needs the headless simulator`);
  }
}

export class Device {
  constructor(
    private readonly state: E2eState,
    private readonly mp: () => MiniProgram,
  ) {}

  get headless(): boolean {
    return this.state.mode === 'headless';
  }

  private async control<T>(method: string, ...args: unknown[]): Promise<T> {
    if (!this.state.controlUrl) throw new CapabilityMissing(method);
    const reply = await httpRequest(`${this.state.controlUrl}/control`, {
      method: 'POST',
      body: { method, args },
    });
    const parsed = JSON.parse(reply.body) as { result?: T; error?: string };
    if (reply.status !== 200) throw new Error(`simulator control ${method}: ${parsed.error}`);
    return parsed.result as T;
  }

  // ---- network
  setNetwork(patch: NetworkPatch): Promise<NetworkPatch> {
    return this.control('setNetwork', patch);
  }

  setOffline(): Promise<NetworkPatch> {
    return this.setNetwork({ online: false, type: 'none' });
  }

  setOnline(): Promise<NetworkPatch> {
    return this.setNetwork({ online: true, type: 'wifi', latencyMs: 0 });
  }

  // ---- login
  setUserKey(userKey: string): Promise<void> {
    return this.control('setUserKey', userKey);
  }

  loginCodes(): Promise<string[]> {
    return this.control('loginCodes');
  }

  // ---- permissions
  async setScope(scope: string, state: ScopeState): Promise<void> {
    if (this.headless) return this.control('setScope', scope, state);
    throw new CapabilityMissing('setScope');
  }

  /** What the user toggles on the next settings page (wx.openSetting). */
  async scriptOpenSetting(changes: Record<string, boolean>): Promise<void> {
    if (this.headless) return this.control('scriptOpenSetting', changes);
    await this.mp().mockWxMethod('openSetting', {
      authSetting: changes,
      errMsg: 'openSetting:ok',
    });
  }

  // ---- media
  /** Fixture file names (relative to the fixtures dir) the next chooseMedia returns. */
  setNextChoose(files: string[]): Promise<void> {
    return this.control('setNextChoose', { files });
  }

  cancelNextChoose(): Promise<void> {
    return this.control('setNextChoose', { cancel: true });
  }

  albumFiles(): Promise<string[]> {
    return this.control('albumFiles');
  }

  clearAlbum(): Promise<void> {
    return this.control('clearAlbum');
  }

  // ---- UI
  /** How modals nobody answers explicitly are answered from now on. */
  async setModalDefault(answer: 'confirm' | 'cancel' | 'pending'): Promise<void> {
    if (this.headless) return this.control('setModalDefault', answer);
    if (answer === 'pending') return this.mp().restoreWxMethod('showModal');
    await this.mp().mockWxMethod('showModal', {
      confirm: answer === 'confirm',
      cancel: answer === 'cancel',
      errMsg: 'showModal:ok',
    });
  }

  confirmModal(): Promise<boolean> {
    return this.control('confirmModal');
  }

  cancelModal(): Promise<boolean> {
    return this.control('cancelModal');
  }

  /** UI calls (showToast, showModal, ...) oldest first; one api name filters. */
  history(api?: string): Promise<UiRecord[]> {
    return this.control('history', ...(api ? [api] : []));
  }

  clearHistory(): Promise<void> {
    return this.control('clearHistory');
  }

  chrome(): Promise<ChromeView> {
    return this.control('chrome');
  }

  // ---- storage and lifecycle
  async clearStorage(): Promise<void> {
    if (this.headless) return this.control('clearStorage');
    await this.mp().callWxMethod('clearStorageSync');
  }

  async storageSnapshot(): Promise<Record<string, unknown>> {
    if (this.headless) return this.control('storageSnapshot');
    // Plain wx storage APIs, evaluated in the app (works under DevTools too).
    return (await this.mp().evaluate(`function () {
      var snapshot = {};
      wx.getStorageInfoSync().keys.forEach(function (key) {
        snapshot[key] = wx.getStorageSync(key);
      });
      return snapshot;
    }`)) as Record<string, unknown>;
  }

  /** Kills the app and cold-starts it on the same phone data; the caller reconnects. */
  async restartApp(): Promise<string> {
    if (!this.state.controlUrl) throw new CapabilityMissing('restartApp');
    const reply = await httpRequest(`${this.state.controlUrl}/restart`, { method: 'POST' });
    const parsed = JSON.parse(reply.body) as { wsEndpoint?: string; error?: string };
    if (reply.status !== 200 || !parsed.wsEndpoint) {
      throw new Error(`restarting the app failed: ${parsed.error}`);
    }
    this.state.wsEndpoint = parsed.wsEndpoint;
    return parsed.wsEndpoint;
  }
}
