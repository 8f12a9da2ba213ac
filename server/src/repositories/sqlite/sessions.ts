import type { SqliteDb } from '../../db/database';
import type { SessionRecord, SessionRepository } from '../types';

interface SessionUserRow extends SessionRow {
  nickname: string;
  avatar_url: string;
  user_created_at: number;
}

const toSession = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  sessionKey: row.session_key,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

interface SessionRow {
  token_hash: string;
  user_id: string;
  session_key: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export function sqliteSessions(db: SqliteDb): SessionRepository {
  const insert = db.prepare(
    'INSERT INTO sessions (token_hash, user_id, session_key, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const findWithUser = db.prepare<[string], SessionUserRow>(
    `SELECT s.*, u.nickname, u.avatar_url, u.created_at AS user_created_at
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
  );
  const revoke = db.prepare(
    'UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
  );
  const expireAll = db.prepare(
    'UPDATE sessions SET expires_at = ? WHERE expires_at > ? AND revoked_at IS NULL',
  );
  const purge = db.prepare(
    'DELETE FROM sessions WHERE expires_at < ? OR (revoked_at IS NOT NULL AND revoked_at < ?)',
  );
  return {
    async purge(before) {
      return purge.run(before, before).changes;
    },
    async create(s) {
      insert.run(s.tokenHash, s.userId, s.sessionKey, s.createdAt, s.expiresAt);
    },
    async findWithUser(tokenHash) {
      const row = findWithUser.get(tokenHash);
      if (!row) return undefined;
      return {
        session: toSession(row),
        user: {
          id: row.user_id,
          nickname: row.nickname,
          avatarUrl: row.avatar_url,
          createdAt: row.user_created_at,
        },
      };
    },
    async revoke(tokenHash, at) {
      return revoke.run(at, tokenHash).changes > 0;
    },
    async expireAll(at) {
      return expireAll.run(at - 1, at - 1).changes;
    },
  };
}
