import type { Product, ProductCategory } from '../../../typings/api';
import { PRODUCT_CATEGORIES } from '../domain/rules';
import type { ProductRepository } from '../repositories/types';

/** 'rare' stays deliberately short so a client can reach "no more items". */
export const RARE_COUNT = 7;
const REGULAR: readonly ProductCategory[] = PRODUCT_CATEGORIES.filter((c) => c !== 'rare');
const NOUNS: Record<ProductCategory, readonly string[]> = {
  phones: ['Phone', 'Handset', 'Smartphone'],
  laptops: ['Laptop', 'Notebook', 'Ultrabook'],
  audio: ['Headphones', 'Speaker', 'Earbuds'],
  cameras: ['Camera', 'Lens', 'Action Cam'],
  home: ['Lamp', 'Kettle', 'Chair'],
  books: ['Novel', 'Cookbook', 'Atlas'],
  rare: ['Collectible', 'Prototype', 'Vintage Piece'],
};
const ADJECTIVES = ['Swift', 'Quiet', 'Bright', 'Compact', 'Classic', 'Bold', 'Lunar', 'Pocket'];
const BASE_TIME = Date.UTC(2024, 0, 1);

export const productImagePath = (id: string): string => `/images/products/${id}.png`;

/** Deterministic catalogue: same count → same products, ids p001.. in a stable order. */
export function seedCatalogue(count: number): Product[] {
  const products: Product[] = [];
  const rareEvery = Math.max(1, Math.floor(count / RARE_COUNT));
  let rare = 0;
  let regular = 0;
  for (let i = 1; i <= count; i++) {
    const isRare = rare < RARE_COUNT && i % rareEvery === 0;
    const category = isRare ? 'rare' : REGULAR[regular++ % REGULAR.length];
    if (isRare) rare++;
    const nouns = NOUNS[category];
    const id = `p${String(i).padStart(3, '0')}`;
    const title = `${ADJECTIVES[i % ADJECTIVES.length]} ${nouns[i % nouns.length]} ${i}`;
    products.push({
      id,
      title,
      category,
      price: 990 + ((i * 7919) % 500_000),
      imageUrl: productImagePath(id),
      description: `${title}: a ${category} item from the seed catalogue, number ${i}.`,
      createdAt: BASE_TIME + i * 60_000,
    });
  }
  return products;
}

/** Seeds on the first start only (an empty products table). Returns how many were inserted. */
export async function seedIfEmpty(products: ProductRepository, count: number): Promise<number> {
  if ((await products.count()) > 0) return 0;
  const catalogue = seedCatalogue(count);
  await products.insertMany(catalogue);
  return catalogue.length;
}
