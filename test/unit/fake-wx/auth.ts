/** Fake wx.login / wx.checkSession: counts calls, scripted failures and latency. */
import { later, settle } from './types';

export interface AuthControl {
  /** wx.login calls so far. */
  loginCalls: number;
  checkSessionCalls: number;
  /** What wx.checkSession answers (true: session_key still valid). */
  sessionValid: boolean;
  /** Make the next N wx.login calls fail with 'login:fail ...'. */
  failNextLogins(count: number): void;
  /** Latency of wx.login in ms (0: next microtask). */
  latency: number;
  /** Codes issued, in order: `dev-<userKey>-<n>`. */
  readonly codes: string[];
  userKey: string;
}

export function createAuthFamily(): {
  apis: Pick<WechatMiniprogram.Wx, 'login' | 'checkSession'>;
  control: AuthControl;
} {
  let failures = 0;
  const control: AuthControl = {
    loginCalls: 0,
    checkSessionCalls: 0,
    sessionValid: true,
    failNextLogins(count) {
      failures = count;
    },
    latency: 0,
    codes: [],
    userKey: 'u1',
  };
  const apis = {
    login(option?: WechatMiniprogram.LoginOption) {
      control.loginCalls++;
      const fail = failures > 0;
      if (fail) failures--;
      const code = `dev-${control.userKey}-${control.codes.length + 1}`;
      if (!fail) control.codes.push(code);
      let promise: Promise<unknown> | undefined;
      later(control.latency, () => {
        promise = settle(
          option,
          fail
            ? { ok: false, error: { errMsg: 'login:fail network error' } }
            : { ok: true, value: { code, errMsg: 'login:ok' } },
        );
        promise?.catch(() => undefined);
      });
      return undefined;
    },
    checkSession(option?: WechatMiniprogram.CheckSessionOption) {
      control.checkSessionCalls++;
      const valid = control.sessionValid;
      later(0, () => {
        settle(
          option,
          valid
            ? { ok: true, value: { errMsg: 'checkSession:ok' } }
            : { ok: false, error: { errMsg: 'checkSession:fail session expired' } },
        )?.catch(() => undefined);
      });
      return undefined;
    },
  };
  return { apis: apis as unknown as Pick<WechatMiniprogram.Wx, 'login' | 'checkSession'>, control };
}
