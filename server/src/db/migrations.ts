/**
 * Versioned schema migrations, applied in order inside one transaction each; the applied version
 * is kept in SQLite's `user_version`. Never edit a released migration: add the next one.
 * Kept as TypeScript (not .sql files) so the same code runs from server/src and from build/.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        open_id TEXT NOT NULL UNIQUE,
        nickname TEXT NOT NULL,
        avatar_url TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        session_key TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE products (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        title TEXT NOT NULL,
        title_lower TEXT NOT NULL,
        category TEXT NOT NULL,
        price INTEGER NOT NULL,
        image_url TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX products_category_seq ON products(category, seq);
      CREATE TABLE favorites (
        user_id TEXT NOT NULL REFERENCES users(id),
        product_id TEXT NOT NULL REFERENCES products(id),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, product_id)
      );
      CREATE TABLE idempotency_keys (
        user_id TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        scope TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        reply TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, idem_key)
      );
      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mime TEXT NOT NULL,
        storage_name TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE files (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        filename TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (user_id, sha256)
      );
      CREATE INDEX files_user_created ON files(user_id, created_at);
      CREATE TABLE upload_sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        filename TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        chunk_size INTEGER NOT NULL,
        total_chunks INTEGER NOT NULL,
        file_id TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX upload_sessions_lookup ON upload_sessions(user_id, sha256, size, chunk_size);
      CREATE TABLE upload_chunks (
        upload_id TEXT NOT NULL REFERENCES upload_sessions(id),
        idx INTEGER NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (upload_id, idx)
      );
      CREATE TABLE chat_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        nickname TEXT NOT NULL,
        client_id TEXT NOT NULL,
        text TEXT NOT NULL,
        at INTEGER NOT NULL,
        UNIQUE (user_id, client_id)
      );
    `,
  },
];
