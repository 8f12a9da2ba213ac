import * as crypto from 'node:crypto';
import { asyncApi, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import type { NetworkConditions } from './network/state';

/**
 * The simulated WeChat account. `wx.login` codes are `dev-<userKey>-<nonce>`, which the backend's
 * development provider maps to the stable user `<userKey>` (typings/api.d.ts LoginRequest).
 */
export class Session {
  userKey: string;
  valid = false;
  readonly codes: string[] = [];

  constructor(ctx: WxContext) {
    this.userKey = ctx.options.userKey ?? 'tester';
    Session.checkUserKey(this.userKey);
  }

  static checkUserKey(userKey: string): void {
    // The code is split on '-' by the backend: a key with '-' or spaces would not round-trip.
    if (typeof userKey !== 'string' || !/^[A-Za-z0-9_.]{1,64}$/.test(userKey)) {
      throw new Error(`userKey must be 1-64 letters, digits, '_' or '.', got ${String(userKey)}`);
    }
  }

  setUserKey(userKey: string): void {
    Session.checkUserKey(userKey);
    if (userKey !== this.userKey) this.valid = false; // another account: the old session is gone
    this.userKey = userKey;
  }

  issue(): string {
    const code = `dev-${this.userKey}-${crypto.randomBytes(6).toString('hex')}`;
    this.codes.push(code);
    this.valid = true;
    return code;
  }
}

export function createSessionApis(
  ctx: WxContext,
  session: Session,
  network: NetworkConditions,
): ApiTable {
  const on = ctx.onCallbackError;
  return {
    login: asyncApi(
      'login',
      async () => {
        await network.delay();
        const blocked = network.blockedReason();
        if (blocked) throw new WxFailure(blocked);
        return { code: session.issue() };
      },
      on,
    ),
    checkSession: asyncApi(
      'checkSession',
      () => {
        if (!session.valid) throw new WxFailure('session time out, need relogin');
        return {};
      },
      on,
    ),
  };
}
