import type { SqliteDb } from '../../db/database';
import type { UploadSessionRecord, UploadSessionRepository } from '../types';

interface UploadRow {
  id: string;
  user_id: string;
  filename: string;
  size: number;
  sha256: string;
  chunk_size: number;
  total_chunks: number;
  file_id: string | null;
  created_at: number;
}

const toSession = (row: UploadRow): UploadSessionRecord => ({
  id: row.id,
  userId: row.user_id,
  filename: row.filename,
  size: row.size,
  sha256: row.sha256,
  chunkSize: row.chunk_size,
  totalChunks: row.total_chunks,
  fileId: row.file_id,
  createdAt: row.created_at,
});

export function sqliteUploads(db: SqliteDb): UploadSessionRepository {
  const find = db.prepare<[string], UploadRow>('SELECT * FROM upload_sessions WHERE id = ?');
  const resumable = db.prepare<[string, string, number, number, string], UploadRow>(
    `SELECT * FROM upload_sessions WHERE user_id = ? AND sha256 = ? AND size = ? AND chunk_size = ? AND filename = ?
     ORDER BY created_at DESC LIMIT 1`,
  );
  const insert = db.prepare(
    `INSERT INTO upload_sessions (id, user_id, filename, size, sha256, chunk_size, total_chunks, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const chunk = db.prepare(
    'INSERT OR REPLACE INTO upload_chunks (upload_id, idx, size) VALUES (?, ?, ?)',
  );
  const chunks = db.prepare<[string], { idx: number }>(
    'SELECT idx FROM upload_chunks WHERE upload_id = ? ORDER BY idx',
  );
  const clear = db.prepare('DELETE FROM upload_chunks WHERE upload_id = ?');
  const complete = db.prepare('UPDATE upload_sessions SET file_id = ? WHERE id = ?');
  const abandoned = db.prepare<[number], { id: string }>(
    'SELECT id FROM upload_sessions WHERE file_id IS NULL AND created_at < ?',
  );
  const deleteSession = db.prepare('DELETE FROM upload_sessions WHERE id = ?');
  return {
    async deleteAbandoned(before) {
      const ids = abandoned.all(before).map((r) => r.id);
      db.transaction(() => {
        for (const id of ids) {
          clear.run(id);
          deleteSession.run(id);
        }
      })();
      return ids;
    },
    async find(id) {
      const row = find.get(id);
      return row ? toSession(row) : undefined;
    },
    async findResumable(userId, spec) {
      const row = resumable.get(userId, spec.sha256, spec.size, spec.chunkSize, spec.filename);
      return row ? toSession(row) : undefined;
    },
    async create(s) {
      insert.run(
        s.id,
        s.userId,
        s.filename,
        s.size,
        s.sha256,
        s.chunkSize,
        s.totalChunks,
        s.createdAt,
      );
    },
    async recordChunk(uploadId, index, size) {
      chunk.run(uploadId, index, size);
    },
    async receivedChunks(uploadId) {
      return chunks.all(uploadId).map((r) => r.idx);
    },
    async clearChunks(uploadId) {
      clear.run(uploadId);
    },
    async complete(uploadId, fileId) {
      complete.run(fileId, uploadId);
    },
  };
}
