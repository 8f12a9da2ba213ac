import type { ChatMessage } from '../../../../typings/api';
import type { SqliteDb } from '../../db/database';
import type { ChatRepository } from '../types';

interface ChatRow {
  id: number;
  user_id: string;
  nickname: string;
  client_id: string;
  text: string;
  at: number;
}

const toMessage = (row: ChatRow): ChatMessage => ({
  id: row.id,
  from: { id: row.user_id, nickname: row.nickname },
  text: row.text,
  at: row.at,
  clientId: row.client_id,
});

export function sqliteChat(db: SqliteDb): ChatRepository {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO chat_messages (user_id, nickname, client_id, text, at) VALUES (?, ?, ?, ?, ?)',
  );
  const byClient = db.prepare<[string, string], ChatRow>(
    'SELECT * FROM chat_messages WHERE user_id = ? AND client_id = ?',
  );
  const since = db.prepare<[number, number], ChatRow>(
    'SELECT * FROM chat_messages WHERE id > ? ORDER BY id LIMIT ?',
  );
  const before = db.prepare<[number, number], ChatRow>(
    'SELECT * FROM chat_messages WHERE id < ? ORDER BY id DESC LIMIT ?',
  );
  const last = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM chat_messages');
  return {
    async insert(m) {
      const result = insert.run(m.userId, m.nickname, m.clientId, m.text, m.at);
      const row = byClient.get(m.userId, m.clientId);
      if (!row) throw new Error('chat message vanished right after insert');
      return { message: toMessage(row), duplicate: result.changes === 0 };
    },
    async since(sinceId, limit) {
      return since.all(sinceId, limit).map(toMessage);
    },
    async before(beforeId, limit) {
      return before
        .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit)
        .map(toMessage)
        .reverse();
    },
    async lastId() {
      return last.get()?.id ?? 0;
    },
  };
}
