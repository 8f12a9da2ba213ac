import type {
  CloudCollection,
  CloudDatabase,
  CloudDocument,
  CloudQuery,
  CloudRegExp,
  DocumentData,
  WhereCondition,
} from '../../../cloudfunctions/common/database';

interface QueryState {
  where: WhereCondition[];
  order?: { field: string; order: 'asc' | 'desc' };
  skip: number;
  limit: number;
}

const isRegExp = (v: unknown): v is CloudRegExp =>
  typeof v === 'object' && v !== null && 'regexp' in v;

function matches(doc: DocumentData, condition: WhereCondition): boolean {
  return Object.entries(condition).every(([field, expected]) => {
    const actual = doc[field];
    if (isRegExp(expected)) {
      return (
        typeof actual === 'string' && new RegExp(expected.regexp, expected.options).test(actual)
      );
    }
    return actual === expected;
  });
}

/**
 * An in-memory stand-in for the part of wx-server-sdk's database the cloud functions use,
 * with the same observable behaviour: doc().get() rejects for a missing document, limit
 * defaults to 20 as on the platform, remove() reports how many were removed.
 */
export class MemoryDatabase implements CloudDatabase {
  readonly collections = new Map<string, Map<string, DocumentData>>();
  /** Calls per collection and operation, so tests can assert what a function did. */
  readonly writes: Array<{ collection: string; op: 'set' | 'remove'; id: string }> = [];

  private store(name: string): Map<string, DocumentData> {
    let docs = this.collections.get(name);
    if (!docs) this.collections.set(name, (docs = new Map()));
    return docs;
  }

  seed(name: string, docs: DocumentData[]): void {
    const store = this.store(name);
    for (const doc of docs) store.set(String(doc._id), structuredClone(doc));
  }

  RegExp(options: CloudRegExp): CloudRegExp {
    return { ...options };
  }

  collection(name: string): CloudCollection {
    const store = this.store(name);
    const writes = this.writes;
    const query = (state: QueryState): CloudQuery => ({
      where: (condition) => query({ ...state, where: [...state.where, condition] }),
      orderBy: (field, order) => query({ ...state, order: { field, order } }),
      skip: (n) => query({ ...state, skip: n }),
      limit: (n) => {
        if (n > 1000) throw new Error('limit must be at most 1000');
        return query({ ...state, limit: n });
      },
      get: async () => {
        let docs = [...store.values()].filter((d) => state.where.every((c) => matches(d, c)));
        if (state.order) {
          const { field, order } = state.order;
          const sign = order === 'asc' ? 1 : -1;
          docs = docs.sort((a, b) => ((a[field] as number) > (b[field] as number) ? sign : -sign));
        }
        return { data: structuredClone(docs.slice(state.skip, state.skip + state.limit)) };
      },
      count: async () => ({
        total: [...store.values()].filter((d) => state.where.every((c) => matches(d, c))).length,
      }),
    });
    const doc = (id: string): CloudDocument => ({
      get: async () => {
        const found = store.get(id);
        if (!found) throw new Error(`document.get:fail document with _id ${id} does not exist`);
        return { data: structuredClone(found) };
      },
      set: async ({ data }) => {
        writes.push({ collection: name, op: 'set', id });
        store.set(id, { ...structuredClone(data), _id: id });
        return { _id: id };
      },
      remove: async () => {
        writes.push({ collection: name, op: 'remove', id });
        return { stats: { removed: store.delete(id) ? 1 : 0 } };
      },
    });
    return { ...query({ where: [], skip: 0, limit: 20 }), doc };
  }
}
