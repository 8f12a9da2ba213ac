import type { SqliteDb } from '../../db/database';
import type { Repositories } from '../types';
import { sqliteChat } from './chat';
import { sqliteFavorites } from './favorites';
import { sqliteFiles } from './files';
import { sqliteIdempotency } from './idempotency';
import { sqliteProducts } from './products';
import { sqliteSessions } from './sessions';
import { sqliteUploads } from './uploads';
import { sqliteUsers } from './users';

export function sqliteRepositories(db: SqliteDb): Repositories {
  return {
    users: sqliteUsers(db),
    sessions: sqliteSessions(db),
    products: sqliteProducts(db),
    favorites: sqliteFavorites(db),
    idempotency: sqliteIdempotency(db),
    files: sqliteFiles(db),
    uploads: sqliteUploads(db),
    chat: sqliteChat(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
