import type { Product, ProductCategory } from '../../../../typings/api';
import type { Statement } from 'better-sqlite3';
import type { SqliteDb } from '../../db/database';
import type { ProductFilter, ProductRepository } from '../types';

interface ProductRow {
  id: string;
  title: string;
  category: string;
  price: number;
  image_url: string;
  description: string;
  created_at: number;
}

const toProduct = (row: ProductRow): Product => ({
  id: row.id,
  title: row.title,
  category: row.category as ProductCategory,
  price: row.price,
  imageUrl: row.image_url,
  description: row.description,
  createdAt: row.created_at,
});

const COLUMNS = 'id, title, category, price, image_url, description, created_at';

/** `q` is a plain substring: escape LIKE's wildcards so `%` and `_` match themselves. */
const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function sqliteProducts(db: SqliteDb): ProductRepository {
  const where = (f: ProductFilter): { sql: string; args: string[] } => {
    const clauses: string[] = [];
    const args: string[] = [];
    if (f.category) {
      clauses.push('category = ?');
      args.push(f.category);
    }
    if (f.q) {
      clauses.push("title_lower LIKE ? ESCAPE '\\'");
      args.push(likePattern(f.q.toLowerCase()));
    }
    return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
  };
  // Statements per filter shape, prepared once.
  const statements = new Map<
    string,
    { page: Statement<unknown[], ProductRow>; total: Statement<unknown[], { n: number }> }
  >();
  const statementsFor = (whereSql: string) => {
    let s = statements.get(whereSql);
    if (!s) {
      s = {
        page: db.prepare<unknown[], ProductRow>(
          `SELECT ${COLUMNS} FROM products ${whereSql} ORDER BY seq LIMIT ? OFFSET ?`,
        ),
        total: db.prepare<unknown[], { n: number }>(
          `SELECT COUNT(*) AS n FROM products ${whereSql}`,
        ),
      };
      statements.set(whereSql, s);
    }
    return s;
  };
  const byId = db.prepare<[string], ProductRow>(`SELECT ${COLUMNS} FROM products WHERE id = ?`);
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM products');
  const insert = db.prepare(
    `INSERT OR IGNORE INTO products (id, seq, title, title_lower, category, price, image_url, description, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    async list(filter) {
      const w = where(filter);
      const s = statementsFor(w.sql);
      const rows = s.page.all(...w.args, filter.limit, filter.offset);
      const total = s.total.get(...w.args)?.n ?? 0;
      return { list: rows.map(toProduct), total };
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toProduct(row) : undefined;
    },
    async count() {
      return count.get()?.n ?? 0;
    },
    async insertMany(products) {
      db.transaction(() => {
        products.forEach((p, i) => {
          const seq = Number(p.id.slice(1)) || i + 1;
          insert.run(
            p.id,
            seq,
            p.title,
            p.title.toLowerCase(),
            p.category,
            p.price,
            p.imageUrl,
            p.description,
            p.createdAt,
          );
        });
      })();
    },
  };
}
