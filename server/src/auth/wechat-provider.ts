import crypto from 'node:crypto';
import type { WechatCredentials } from '../config';
import { AppError } from '../domain/errors';
import type { LoginIdentity, LoginProvider } from './provider';

interface Code2SessionReply {
  openid?: string;
  session_key?: string;
  unionid?: string;
  errcode?: number;
  errmsg?: string;
}

/** Codes WeChat uses for a code the client got wrong (invalid, used, or from another app). */
const CLIENT_CODE_ERRORS = new Set([40029, 40163, 40226]);

/** The real provider: WeChat's `jscode2session`, base URL configurable for a loopback stub. */
export function wechatLoginProvider(
  credentials: WechatCredentials,
  timeoutMs = 5_000,
): LoginProvider {
  return {
    name: 'wechat',
    async exchange(code): Promise<LoginIdentity> {
      const url = new URL('/sns/jscode2session', `${credentials.apiBase}/`);
      url.searchParams.set('appid', credentials.appId);
      url.searchParams.set('secret', credentials.secret);
      url.searchParams.set('js_code', code);
      url.searchParams.set('grant_type', 'authorization_code');
      let reply: Code2SessionReply;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        reply = (await response.json()) as Code2SessionReply;
      } catch (error) {
        throw new AppError(
          'UPSTREAM_FAILED',
          `WeChat login service unavailable (${describe(error)})`,
        );
      }
      if (reply.errcode) {
        if (CLIENT_CODE_ERRORS.has(reply.errcode)) {
          throw new AppError('UNAUTHORIZED', `WeChat rejected the login code (${reply.errcode})`);
        }
        throw new AppError('UPSTREAM_FAILED', `WeChat login failed (${reply.errcode})`);
      }
      if (
        typeof reply.openid !== 'string' ||
        !reply.openid ||
        typeof reply.session_key !== 'string'
      ) {
        throw new AppError('UPSTREAM_FAILED', 'WeChat login reply lacks openid/session_key');
      }
      // The id shown to clients is derived, so the openid itself is not exposed.
      const userId = `wx_${crypto.createHash('sha256').update(reply.openid).digest('hex').slice(0, 16)}`;
      return {
        openId: reply.openid,
        userId,
        nickname: 'WeChat user',
        sessionKey: reply.session_key,
      };
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timeout' : error.message;
  return String(error);
}
