/**
 * setData payload when the product list appends page 10 vs page 1, using the list's real
 * patch builder (PagedList), side by side with the common `[...old, ...new]` pattern.
 * Goal: page 10 / page 1 ≤ 1.2 (the naive pattern grows linearly, about 10×).
 */
import { PagedList } from '../../miniprogram/services/paged-list';
import { productView } from '../../miniprogram/services/product-view';
import type { ProductView } from '../../miniprogram/services/product-view';
import type { Product, ProductCategory } from '../../typings/api';

const PAGE_SIZE = 20;
const PAGES = 10;
const GOAL = 1.2;
const API_BASE = 'http://127.0.0.1:3000';
const CATEGORIES: ProductCategory[] = ['phones', 'laptops', 'audio', 'cameras', 'home', 'books'];

function product(n: number): Product {
  const id = `p${String(n).padStart(4, '0')}`;
  return {
    id,
    title: `Product ${n} ${CATEGORIES[n % CATEGORIES.length]} edition`,
    category: CATEGORIES[n % CATEGORIES.length],
    price: 1999 + n * 37,
    imageUrl: `/images/products/${id}.png`,
    description: `Description of product ${n}.`,
    createdAt: 1_700_000_000_000 + n,
  };
}

function page(current: number): {
  list: ProductView[];
  current: number;
  pageSize: number;
  total: number;
} {
  const start = (current - 1) * PAGE_SIZE;
  return {
    list: Array.from({ length: PAGE_SIZE }, (_, i) =>
      productView(API_BASE, product(start + i + 1), false),
    ),
    current,
    pageSize: PAGE_SIZE,
    total: 1000,
  };
}

/** What WeChat serialises for setData: the JSON of the patch object. */
function bytes(patch: unknown): number {
  return Buffer.byteLength(JSON.stringify(patch), 'utf8');
}

function main(): void {
  const list = new PagedList<ProductView>('list');
  const pathKeyBytes: number[] = [];
  const naiveBytes: number[] = [];
  let naive: ProductView[] = [];

  const first = list.accept(list.restart(), page(1));
  pathKeyBytes.push(bytes(first));
  naive = page(1).list;
  naiveBytes.push(bytes({ list: naive, hasMore: true, total: 1000 }));

  for (let current = 2; current <= PAGES; current++) {
    const ticket = list.next();
    if (!ticket) throw new Error(`no ticket for page ${current}`);
    const patch = list.accept(ticket, page(current));
    if (!patch || 'list' in patch) throw new Error(`page ${current} did not append by path keys`);
    pathKeyBytes.push(bytes(patch));
    naive = [...naive, ...page(current).list];
    naiveBytes.push(bytes({ list: naive, hasMore: true, total: 1000 }));
  }

  const ratio = pathKeyBytes[PAGES - 1] / pathKeyBytes[0];
  const naiveRatio = naiveBytes[PAGES - 1] / naiveBytes[0];
  const totalPath = pathKeyBytes.reduce((a, b) => a + b, 0);
  const totalNaive = naiveBytes.reduce((a, b) => a + b, 0);
  console.log(`setData bytes, page 1 → page ${PAGES} (${PAGE_SIZE} items per page)`);
  console.log(
    `  path keys ('list[180]'): ${pathKeyBytes[0]} → ${pathKeyBytes[PAGES - 1]} B, ratio ${ratio.toFixed(3)}`,
  );
  console.log(
    `  [...old, ...new]:        ${naiveBytes[0]} → ${naiveBytes[PAGES - 1]} B, ratio ${naiveRatio.toFixed(3)}`,
  );
  console.log(
    `  over ${PAGES} pages: ${(totalPath / 1024).toFixed(1)} KB vs ${(totalNaive / 1024).toFixed(1)} KB ` +
      `(${(totalNaive / totalPath).toFixed(1)}× less sent)`,
  );
  console.log(
    `goal: page ${PAGES} / page 1 ≤ ${GOAL} → ${ratio <= GOAL ? 'met' : 'NOT met'} (${ratio.toFixed(3)})`,
  );
}

main();
