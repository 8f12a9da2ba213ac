import type { SqliteDb } from '../../db/database';
import type { IdempotencyRepository } from '../types';

interface IdempotencyRow {
  request_hash: string;
  status: number;
  reply: string;
}

export function sqliteIdempotency(db: SqliteDb): IdempotencyRepository {
  const find = db.prepare<[string, string], IdempotencyRow>(
    'SELECT request_hash, status, reply FROM idempotency_keys WHERE user_id = ? AND idem_key = ?',
  );
  const insert = db.prepare(
    `INSERT OR IGNORE INTO idempotency_keys (user_id, idem_key, scope, request_hash, status, reply, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    async find(userId, key) {
      const row = find.get(userId, key);
      return row
        ? { fingerprint: row.request_hash, status: row.status, reply: row.reply }
        : undefined;
    },
    async save(userId, key, scope, record, at) {
      insert.run(userId, key, scope, record.fingerprint, record.status, record.reply, at);
    },
  };
}
