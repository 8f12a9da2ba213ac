/**
 * The small slice of the wx-server-sdk database API the functions use. Declared here so the
 * functions can be unit-tested against an in-memory stand-in (wx-server-sdk is not installed
 * in this repository; it is installed in the cloud from each function's package.json).
 */
export type DocumentData = Record<string, unknown>;

/** What `db.RegExp({ regexp, options })` returns: a case-insensitive substring match. */
export interface CloudRegExp {
  regexp: string;
  options?: string;
}

export type WhereCondition = Record<string, string | number | boolean | CloudRegExp>;

export interface CloudQuery {
  where(condition: WhereCondition): CloudQuery;
  orderBy(field: string, order: 'asc' | 'desc'): CloudQuery;
  skip(n: number): CloudQuery;
  limit(n: number): CloudQuery;
  get(): Promise<{ data: DocumentData[] }>;
  count(): Promise<{ total: number }>;
}

export interface CloudDocument {
  get(): Promise<{ data: DocumentData }>;
  set(options: { data: DocumentData }): Promise<unknown>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface CloudCollection extends CloudQuery {
  doc(id: string): CloudDocument;
}

export interface CloudDatabase {
  collection(name: string): CloudCollection;
  RegExp(options: CloudRegExp): CloudRegExp;
}

/** Everything a function needs from the platform, injected (tests pass stand-ins). */
export interface CloudDeps {
  db: CloudDatabase;
  /** `cloud.getWXContext()`: the caller's identity, vouched for by WeChat. */
  openId(): string;
  now(): number;
}

/** `doc(id).get()` rejects when the document does not exist; this reads "maybe". */
export async function findDoc(
  collection: CloudCollection,
  id: string,
): Promise<DocumentData | undefined> {
  try {
    return (await collection.doc(id).get()).data;
  } catch {
    return undefined;
  }
}
