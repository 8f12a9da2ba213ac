import type { Favorite, FavoriteRemoved, PageResult } from '../../typings/api';
import { AppError, notFound } from '../../server/src/domain/errors';
import {
  decideIdempotency,
  normalizePage,
  pageResult,
  requestFingerprint,
  validateIdempotencyKey,
  validateProductId,
} from '../../server/src/domain/rules';
import { findDoc, type CloudDeps } from '../common/database';
import { envelopeHandler, platformDeps, type CloudEvent } from '../common/handler';

/** Same scope string as the server, so a key means the same thing on both backends. */
const SCOPE = 'POST /api/favorites';

/**
 * `favorites`: { action: 'add', productId, idempotencyKey? } | { action: 'remove', productId } |
 * { action: 'list', current, pageSize }. `add` is applied exactly once per idempotency key.
 */
export function createFavorites(deps: CloudDeps) {
  return envelopeHandler<Favorite | FavoriteRemoved | PageResult<Favorite>>(
    deps,
    async (event: CloudEvent, { db, openId, now }) => {
      const user = openId();
      const favorites = db.collection('favorites');
      switch (event.action) {
        case 'add': {
          const productId = validateProductId(event.productId);
          const key = validateIdempotencyKey(event.idempotencyKey);
          const fingerprint = requestFingerprint(SCOPE, { productId });
          const keys = db.collection('idempotency');
          if (key) {
            const stored = await findDoc(keys, `${user}:${key}`);
            const decision = decideIdempotency(
              stored && {
                fingerprint: stored.fingerprint as string,
                status: stored.status as number,
                reply: stored.reply as string,
              },
              fingerprint,
            );
            if (decision.kind === 'replay') return JSON.parse(decision.reply) as Favorite;
          }
          if (!(await findDoc(db.collection('products'), productId))) {
            throw notFound(`Product ${productId}`);
          }
          const id = `${user}:${productId}`;
          const existing = await findDoc(favorites, id);
          const favorite: Favorite = existing
            ? { productId, createdAt: existing.createdAt as number }
            : { productId, createdAt: now() };
          if (!existing) {
            await favorites.doc(id).set({ data: { openid: user, ...favorite } });
          }
          if (key) {
            await keys.doc(`${user}:${key}`).set({
              data: { fingerprint, status: 200, reply: JSON.stringify(favorite), createdAt: now() },
            });
          }
          return favorite;
        }
        case 'remove': {
          const productId = validateProductId(event.productId);
          const result = await favorites.doc(`${user}:${productId}`).remove();
          return { productId, removed: result.stats.removed > 0 };
        }
        case 'list': {
          const page = normalizePage({ current: event.current, pageSize: event.pageSize });
          const mine = favorites.where({ openid: user });
          const [rows, count] = await Promise.all([
            mine.orderBy('createdAt', 'desc').skip(page.offset).limit(page.pageSize).get(),
            favorites.where({ openid: user }).count(),
          ]);
          const list = rows.data.map((d) => ({
            productId: d.productId as string,
            createdAt: d.createdAt as number,
          }));
          return pageResult(list, page, count.total);
        }
        default:
          throw new AppError('BAD_REQUEST', 'action must be "add", "remove" or "list"');
      }
    },
  );
}

export const main = (event: CloudEvent) => createFavorites(platformDeps())(event);
