import type { LoginReply, User } from '../../../typings/api';
import type { Clock } from '../config';
import { AppError } from '../domain/errors';
import type { Repositories } from '../repositories/types';
import type { LoginProvider } from './provider';
import { hashToken, newToken } from './tokens';

export interface AuthenticatedUser {
  user: User;
  tokenHash: string;
  expiresAt: number;
}

/**
 * Every authenticated request resolves its token. Resolved sessions are remembered briefly so a
 * hot client does not cost a database read per request. Logout and "expire all" on this
 * instance take effect at once (they evict); expiry by time is checked on every request; a
 * revocation made by another instance sharing the database is seen within CACHE_TTL_MS.
 */
export const CACHE_TTL_MS = 2_000;
const CACHE_LIMIT = 10_000;

interface CachedSession {
  auth: AuthenticatedUser;
  checkedAt: number;
}

export class AuthService {
  private readonly cache = new Map<string, CachedSession>();

  constructor(
    private readonly repos: Repositories,
    private readonly provider: LoginProvider,
    private readonly clock: Clock,
    private readonly tokenTtlMs: number,
  ) {}

  async login(code: string): Promise<LoginReply> {
    const identity = await this.provider.exchange(code);
    const now = this.clock.now();
    const user = await this.repos.users.upsertByOpenId(identity.openId, {
      id: identity.userId,
      nickname: identity.nickname,
      avatarUrl: `/images/avatars/${encodeURIComponent(identity.userId)}.png`,
      createdAt: now,
    });
    const token = newToken();
    const expiresAt = now + this.tokenTtlMs;
    await this.repos.sessions.create({
      tokenHash: hashToken(token),
      userId: user.id,
      sessionKey: identity.sessionKey,
      createdAt: now,
      expiresAt,
      revokedAt: null,
    });
    return { token, expiresAt, user };
  }

  /** The user behind a token, or a 401 AppError saying why not. */
  async authenticate(token: string | undefined): Promise<AuthenticatedUser> {
    if (!token) throw new AppError('UNAUTHORIZED', 'Missing bearer token');
    const tokenHash = hashToken(token);
    const now = this.clock.now();
    const cached = this.cache.get(tokenHash);
    if (cached && now - cached.checkedAt < CACHE_TTL_MS) {
      if (cached.auth.expiresAt <= now) {
        this.cache.delete(tokenHash);
        throw new AppError('SESSION_EXPIRED', 'Session expired, log in again');
      }
      return cached.auth;
    }
    const found = await this.repos.sessions.findWithUser(tokenHash);
    if (!found) throw new AppError('UNAUTHORIZED', 'Unknown token');
    const { session, user } = found;
    if (session.revokedAt !== null) throw new AppError('UNAUTHORIZED', 'Token revoked');
    if (session.expiresAt <= this.clock.now()) {
      throw new AppError('SESSION_EXPIRED', 'Session expired, log in again');
    }
    const auth = { user, tokenHash, expiresAt: session.expiresAt };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(tokenHash, { auth, checkedAt: now });
    return auth;
  }

  async logout(tokenHash: string): Promise<boolean> {
    const revoked = await this.repos.sessions.revoke(tokenHash, this.clock.now());
    this.cache.delete(tokenHash);
    return revoked;
  }

  async expireAll(): Promise<number> {
    const expired = await this.repos.sessions.expireAll(this.clock.now());
    this.cache.clear();
    return expired;
  }
}
