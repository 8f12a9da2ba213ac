import type { Favorite } from '../../../../typings/api';
import type { SqliteDb } from '../../db/database';
import type { FavoriteRepository } from '../types';

interface FavoriteRow {
  product_id: string;
  created_at: number;
}

const toFavorite = (row: FavoriteRow): Favorite => ({
  productId: row.product_id,
  createdAt: row.created_at,
});

export function sqliteFavorites(db: SqliteDb): FavoriteRepository {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO favorites (user_id, product_id, created_at) VALUES (?, ?, ?)',
  );
  const find = db.prepare<[string, string], FavoriteRow>(
    'SELECT product_id, created_at FROM favorites WHERE user_id = ? AND product_id = ?',
  );
  const remove = db.prepare('DELETE FROM favorites WHERE user_id = ? AND product_id = ?');
  const page = db.prepare<[string, number, number], FavoriteRow>(
    'SELECT product_id, created_at FROM favorites WHERE user_id = ? ORDER BY created_at DESC, product_id LIMIT ? OFFSET ?',
  );
  const total = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM favorites WHERE user_id = ?',
  );
  return {
    async add(userId, productId, at) {
      const applied = insert.run(userId, productId, at).changes > 0;
      const row = find.get(userId, productId);
      if (!row) throw new Error('favorite vanished right after insert');
      return { favorite: toFavorite(row), applied };
    },
    async remove(userId, productId) {
      return remove.run(userId, productId).changes > 0;
    },
    async has(userId, productId) {
      return find.get(userId, productId) !== undefined;
    },
    async list(userId, offset, limit) {
      return {
        list: page.all(userId, limit, offset).map(toFavorite),
        total: total.get(userId)?.n ?? 0,
      };
    },
  };
}
