import type { ImageMime } from '../../../../typings/api';
import type { SqliteDb } from '../../db/database';
import type { BlobRecord, FileRecord, FileRepository } from '../types';

interface BlobRow {
  sha256: string;
  size: number;
  mime: string;
  storage_name: string;
  created_at: number;
}

interface FileRow {
  id: string;
  user_id: string;
  sha256: string;
  filename: string;
  mime: string;
  size: number;
  created_at: number;
}

const toBlob = (row: BlobRow): BlobRecord => ({
  sha256: row.sha256,
  size: row.size,
  mime: row.mime as ImageMime,
  storageName: row.storage_name,
  createdAt: row.created_at,
});

const toFile = (row: FileRow): FileRecord => ({
  id: row.id,
  userId: row.user_id,
  sha256: row.sha256,
  filename: row.filename,
  mime: row.mime as ImageMime,
  size: row.size,
  createdAt: row.created_at,
});

export function sqliteFiles(db: SqliteDb): FileRepository {
  const blob = db.prepare<[string], BlobRow>('SELECT * FROM blobs WHERE sha256 = ?');
  const insertBlob = db.prepare(
    'INSERT OR IGNORE INTO blobs (sha256, size, mime, storage_name, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const file = db.prepare<[string], FileRow>('SELECT * FROM files WHERE id = ?');
  const userFile = db.prepare<[string, string], FileRow>(
    'SELECT * FROM files WHERE user_id = ? AND sha256 = ?',
  );
  const insertFile = db.prepare(
    'INSERT INTO files (id, user_id, sha256, filename, mime, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const page = db.prepare<[string, number, number], FileRow>(
    'SELECT * FROM files WHERE user_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?',
  );
  const total = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM files WHERE user_id = ?',
  );
  return {
    async findBlob(sha256) {
      const row = blob.get(sha256);
      return row ? toBlob(row) : undefined;
    },
    async insertBlob(b) {
      insertBlob.run(b.sha256, b.size, b.mime, b.storageName, b.createdAt);
    },
    async findFile(id) {
      const row = file.get(id);
      return row ? toFile(row) : undefined;
    },
    async findUserFileBySha(userId, sha256) {
      const row = userFile.get(userId, sha256);
      return row ? toFile(row) : undefined;
    },
    async insertFile(f) {
      insertFile.run(f.id, f.userId, f.sha256, f.filename, f.mime, f.size, f.createdAt);
    },
    async listFiles(userId, offset, limit) {
      return {
        list: page.all(userId, limit, offset).map(toFile),
        total: total.get(userId)?.n ?? 0,
      };
    },
  };
}
