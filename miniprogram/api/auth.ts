/** Session endpoints. Login itself (wx.login → POST /api/auth/login) belongs to utils/session. */
import type { LogoutReply, MeReply } from '../../typings/api';
import type { CancelSignal } from '../utils/cancel';
import { apiHttp } from './client';

export interface FetchMeOptions {
  signal?: CancelSignal;
  /** The caller shows the failure itself (the login page) or keeps the cached user: no toast. */
  silent?: boolean;
}

export function fetchMe(options: FetchMeOptions = {}): Promise<MeReply> {
  return apiHttp().request<MeReply>({
    url: '/api/me',
    signal: options.signal,
    skipErrorHandler: options.silent,
    cache: { ttl: 60_000, swr: true },
  });
}

/** Revokes the token on the server; the caller clears local state whatever happens. */
export function revokeSession(): Promise<LogoutReply> {
  return apiHttp().request<LogoutReply>({
    method: 'POST',
    url: '/api/auth/logout',
    retry: false,
    skipErrorHandler: true,
  });
}
