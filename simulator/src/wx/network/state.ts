import type { NetworkState } from '../controls';
import type { NetworkType } from '../host';
import { Listeners } from '../types';

const NETWORK_TYPES: readonly NetworkType[] = ['wifi', '2g', '3g', '4g', '5g', 'unknown', 'none'];

/** An in-flight network operation that going offline must end. */
export interface Interruptible {
  interrupt(reason: string): void;
}

/**
 * The simulated phone's connectivity. Going offline ends in-flight requests and open sockets and
 * makes new calls fail at once; listeners get `onNetworkStatusChange` like on a phone.
 */
export class NetworkConditions {
  private state: NetworkState = { online: true, type: 'wifi', latencyMs: 0, weak: false };
  private lastOnlineType: NetworkType = 'wifi';
  readonly statusListeners: Listeners<[{ isConnected: boolean; networkType: NetworkType }]>;
  readonly weakListeners: Listeners<[{ weakNet: boolean; networkType: NetworkType }]>;
  private readonly active = new Set<Interruptible>();
  private backgroundTimer: NodeJS.Timeout | undefined;
  private suspended = false;
  /** The simulator closed: app code still running (retries, timers) must not reach the network. */
  private disposed = false;

  constructor(onError: (error: unknown) => void) {
    this.statusListeners = new Listeners(onError);
    this.weakListeners = new Listeners(onError);
  }

  get(): NetworkState {
    return { ...this.state };
  }

  get online(): boolean {
    return this.state.online;
  }

  get latencyMs(): number {
    return this.state.latencyMs;
  }

  set(patch: Partial<NetworkState>): NetworkState {
    if (patch === null || typeof patch !== 'object') {
      throw new Error(`setNetwork expects an object, got ${String(patch)}`);
    }
    for (const flag of ['online', 'weak'] as const) {
      if (patch[flag] !== undefined && typeof patch[flag] !== 'boolean') {
        throw new Error(`${flag} must be true or false, got ${String(patch[flag])}`);
      }
    }
    if (patch.type !== undefined && !NETWORK_TYPES.includes(patch.type)) {
      throw new Error(`unknown network type ${String(patch.type)}`);
    }
    if (patch.latencyMs !== undefined && !(patch.latencyMs >= 0)) {
      throw new Error(`latencyMs must be a number >= 0, got ${String(patch.latencyMs)}`);
    }
    const before = this.get();
    const next = { ...before, ...patch };
    // `type: 'none'` and `online: false` are the same thing, seen from either side.
    if (patch.type === 'none') next.online = false;
    else if (patch.type !== undefined) next.online = patch.online ?? true;
    if (!next.online) next.type = 'none';
    else if (next.type === 'none') next.type = this.lastOnlineType;
    if (next.online) this.lastOnlineType = next.type;
    this.state = next;
    if (before.online && !next.online) {
      for (const op of [...this.active]) op.interrupt(OFFLINE_REASON);
    }
    if (before.online !== next.online || before.type !== next.type) {
      this.statusListeners.emit({ isConnected: next.online, networkType: next.type });
    }
    if (before.weak !== next.weak) {
      this.weakListeners.emit({ weakNet: next.weak, networkType: next.type });
    }
    return this.get();
  }

  /**
   * The app went to the background (true) or came back (false). As on a phone, network calls
   * still running 5 s after hiding end with `interrupted`, and new ones fail until it comes back.
   */
  setBackground(background: boolean): void {
    clearTimeout(this.backgroundTimer);
    this.backgroundTimer = undefined;
    this.suspended = false;
    if (!background) return;
    this.backgroundTimer = setTimeout(() => {
      this.suspended = true;
      for (const op of [...this.active]) op.interrupt(INTERRUPTED_REASON);
    }, BACKGROUND_GRACE_MS);
  }

  /** Why a new network call cannot start now (WeChat's fail reason), or null. */
  blockedReason(): string | null {
    if (this.disposed) return INTERRUPTED_REASON;
    if (!this.state.online) return OFFLINE_REASON;
    if (this.suspended) return INTERRUPTED_REASON;
    return null;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.backgroundTimer);
  }

  track(op: Interruptible): () => void {
    this.active.add(op);
    return () => this.active.delete(op);
  }

  /** Waits the configured latency (a timer, so fake timers control it). */
  delay(): Promise<void> {
    const ms = this.state.latencyMs;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }
}

/** The errMsg reason DevTools (Chromium's network stack) gives for a socket-level error. */
export function netErrorReason(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'net::ERR_CONNECTION_REFUSED';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'net::ERR_CONNECTION_RESET';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'net::ERR_NAME_NOT_RESOLVED';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'net::ERR_ADDRESS_UNREACHABLE';
    case 'ECONNABORTED':
      return 'net::ERR_CONNECTION_ABORTED';
    case 'ETIMEDOUT':
      return 'net::ERR_CONNECTION_TIMED_OUT';
    // TLS: the phone refuses certificates it cannot verify, as Chromium words it.
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'net::ERR_CERT_AUTHORITY_INVALID';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'net::ERR_CERT_DATE_INVALID';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'net::ERR_CERT_COMMON_NAME_INVALID';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

export const OFFLINE_REASON = 'net::ERR_INTERNET_DISCONNECTED';
export const INTERRUPTED_REASON = 'interrupted';
/** How long network calls survive the app being hidden. */
export const BACKGROUND_GRACE_MS = 5000;
