import type { User } from '../../../../typings/api';
import type { SqliteDb } from '../../db/database';
import type { UserRepository } from '../types';

interface UserRow {
  id: string;
  nickname: string;
  avatar_url: string;
  created_at: number;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  nickname: row.nickname,
  avatarUrl: row.avatar_url,
  createdAt: row.created_at,
});

export function sqliteUsers(db: SqliteDb): UserRepository {
  const byOpenId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE open_id = ?');
  const insert = db.prepare(
    'INSERT OR IGNORE INTO users (id, open_id, nickname, avatar_url, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  return {
    async upsertByOpenId(openId, fresh) {
      const existing = byOpenId.get(openId);
      if (existing) return toUser(existing);
      insert.run(fresh.id, openId, fresh.nickname, fresh.avatarUrl, fresh.createdAt);
      const row = byOpenId.get(openId);
      if (!row) throw new Error(`user id ${fresh.id} is taken by another identity`);
      return toUser(row);
    },
  };
}
