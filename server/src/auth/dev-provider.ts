import { devUserKeyFromCode } from '../domain/rules';
import type { LoginIdentity, LoginProvider } from './provider';

/** Without WeChat credentials: `dev-<userKey>-<nonce>` → user `<userKey>`, else user `default`. */
export function devLoginProvider(): LoginProvider {
  return {
    name: 'development',
    async exchange(code): Promise<LoginIdentity> {
      const userKey = devUserKeyFromCode(code);
      return { openId: `dev:${userKey}`, userId: userKey, nickname: userKey, sessionKey: null };
    },
  };
}
