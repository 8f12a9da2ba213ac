import type { SqliteDb } from '../../db/database';
import type { SessionRecord, SessionRepository } from '../types';

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
  const find = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?');
  const revoke = db.prepare(
    'UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
  );
  const expireAll = db.prepare(
    'UPDATE sessions SET expires_at = ? WHERE expires_at > ? AND revoked_at IS NULL',
  );
  return {
    async create(s) {
      insert.run(s.tokenHash, s.userId, s.sessionKey, s.createdAt, s.expiresAt);
    },
    async find(tokenHash): Promise<SessionRecord | undefined> {
      const row = find.get(tokenHash);
      if (!row) return undefined;
      return {
        tokenHash: row.token_hash,
        userId: row.user_id,
        sessionKey: row.session_key,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
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
