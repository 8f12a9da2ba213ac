/**
 * Storage behind small async interfaces: SQLite implements them today (repositories/sqlite),
 * a PostgreSQL implementation can replace it without touching routes or services.
 */
import type {
  ChatMessage,
  Favorite,
  ImageMime,
  Product,
  ProductCategory,
  User,
} from '../../../typings/api';
import type { StoredIdempotentReply } from '../domain/rules';

export interface UserRepository {
  /** The user for a provider identity, created on first login. */
  upsertByOpenId(openId: string, fresh: User): Promise<User>;
}

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  /** WeChat's session_key: kept server-side only, never in a reply. */
  sessionKey: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  /** The session and its user in one lookup (every authenticated request does this). */
  findWithUser(tokenHash: string): Promise<{ session: SessionRecord; user: User } | undefined>;
  revoke(tokenHash: string, at: number): Promise<boolean>;
  /** Development: make every live session expired now. */
  expireAll(at: number): Promise<number>;
  /** Forgets sessions that expired (or were revoked) before `before`. */
  purge(before: number): Promise<number>;
}

export interface ProductFilter {
  q?: string;
  category?: ProductCategory;
  offset: number;
  limit: number;
}

export interface ProductRepository {
  list(filter: ProductFilter): Promise<{ list: Product[]; total: number }>;
  get(id: string): Promise<Product | undefined>;
  count(): Promise<number>;
  insertMany(products: readonly Product[]): Promise<void>;
}

export interface FavoriteRepository {
  /** Inserts unless present; `applied` tells whether this call created it. */
  add(
    userId: string,
    productId: string,
    at: number,
  ): Promise<{ favorite: Favorite; applied: boolean }>;
  remove(userId: string, productId: string): Promise<boolean>;
  has(userId: string, productId: string): Promise<boolean>;
  list(userId: string, offset: number, limit: number): Promise<{ list: Favorite[]; total: number }>;
}

/**
 * FavoriteService does find → apply → save, one request per (user, key) at a time within its
 * process. Several instances sharing a server database need the database to hold the (user, key)
 * row as well (e.g. insert a pending row first, or a transaction with a row lock), so two
 * concurrent requests with one key on different instances cannot both apply.
 */
export interface IdempotencyRepository {
  find(userId: string, key: string): Promise<StoredIdempotentReply | undefined>;
  /** First writer wins; a later save for the same key is ignored. */
  save(
    userId: string,
    key: string,
    scope: string,
    record: StoredIdempotentReply,
    at: number,
  ): Promise<void>;
}

export interface BlobRecord {
  sha256: string;
  size: number;
  mime: ImageMime;
  /** Random name inside the blob folder (never derived from user input). */
  storageName: string;
  createdAt: number;
}

export interface FileRecord {
  id: string;
  userId: string;
  sha256: string;
  filename: string;
  mime: ImageMime;
  size: number;
  createdAt: number;
}

export interface UploadSessionRecord {
  id: string;
  userId: string;
  filename: string;
  size: number;
  sha256: string;
  chunkSize: number;
  totalChunks: number;
  fileId: string | null;
  createdAt: number;
}

export interface FileRepository {
  findBlob(sha256: string): Promise<BlobRecord | undefined>;
  insertBlob(blob: BlobRecord): Promise<void>;
  findFile(id: string): Promise<FileRecord | undefined>;
  findUserFileBySha(userId: string, sha256: string): Promise<FileRecord | undefined>;
  insertFile(file: FileRecord): Promise<void>;
  listFiles(
    userId: string,
    offset: number,
    limit: number,
  ): Promise<{ list: FileRecord[]; total: number }>;
}

export interface UploadSessionRepository {
  find(id: string): Promise<UploadSessionRecord | undefined>;
  findResumable(
    userId: string,
    spec: Pick<UploadSessionRecord, 'filename' | 'size' | 'sha256' | 'chunkSize'>,
  ): Promise<UploadSessionRecord | undefined>;
  create(session: UploadSessionRecord): Promise<void>;
  recordChunk(uploadId: string, index: number, size: number): Promise<void>;
  receivedChunks(uploadId: string): Promise<number[]>;
  /** Forgets every received chunk (after a failed verification the client sends them again). */
  clearChunks(uploadId: string): Promise<void>;
  complete(uploadId: string, fileId: string): Promise<void>;
  /** Removes unfinished sessions created before `before` (and their chunk rows); returns their ids. */
  deleteAbandoned(before: number): Promise<string[]>;
}

export interface NewChatMessage {
  userId: string;
  nickname: string;
  clientId: string;
  text: string;
  at: number;
}

export interface ChatRepository {
  /** Persists unless (userId, clientId) exists; then returns the stored one with duplicate=true. */
  insert(message: NewChatMessage): Promise<{ message: ChatMessage; duplicate: boolean }>;
  /** Ascending, ids > sinceId, at most `limit`. */
  since(sinceId: number, limit: number): Promise<ChatMessage[]>;
  /** The newest `limit` with id < beforeId, ascending. */
  before(beforeId: number | undefined, limit: number): Promise<ChatMessage[]>;
  lastId(): Promise<number>;
}

export interface Repositories {
  users: UserRepository;
  sessions: SessionRepository;
  products: ProductRepository;
  favorites: FavoriteRepository;
  idempotency: IdempotencyRepository;
  files: FileRepository;
  uploads: UploadSessionRepository;
  chat: ChatRepository;
  close(): Promise<void>;
}
