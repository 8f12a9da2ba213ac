import type { CloudLoginReply, User } from '../../typings/api';
import { AppError } from '../../server/src/domain/errors';
import { findDoc, type CloudDeps } from '../common/database';
import { envelopeHandler, platformDeps, type CloudEvent } from '../common/handler';

/** `login`: the caller's openid comes from WeChat (getWXContext); no code exchange needed. */
export function createLogin(deps: CloudDeps) {
  return envelopeHandler<CloudLoginReply>(deps, async (_event, { db, openId, now }) => {
    const openid = openId();
    if (!openid) throw new AppError('UNAUTHORIZED', 'No caller identity');
    const users = db.collection('users');
    const existing = await findDoc(users, openid);
    if (existing) return { user: existing.user as User };
    const id = `wx_${openid.slice(-12)}`;
    const user: User = {
      id,
      nickname: 'WeChat user',
      avatarUrl: `/images/avatars/${id}.png`,
      createdAt: now(),
    };
    await users.doc(openid).set({ data: { user } });
    return { user };
  });
}

export const main = (event: CloudEvent) => createLogin(platformDeps())(event);
