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

export class AuthService {
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
    const found = await this.repos.sessions.findWithUser(tokenHash);
    if (!found) throw new AppError('UNAUTHORIZED', 'Unknown token');
    const { session, user } = found;
    if (session.revokedAt !== null) throw new AppError('UNAUTHORIZED', 'Token revoked');
    if (session.expiresAt <= this.clock.now()) {
      throw new AppError('SESSION_EXPIRED', 'Session expired, log in again');
    }
    return { user, tokenHash, expiresAt: session.expiresAt };
  }

  async logout(tokenHash: string): Promise<boolean> {
    return this.repos.sessions.revoke(tokenHash, this.clock.now());
  }

  async expireAll(): Promise<number> {
    return this.repos.sessions.expireAll(this.clock.now());
  }
}
