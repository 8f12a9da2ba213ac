/** The category tabs of the product list: "all" first, then every ProductCategory. */
import type { ProductCategory } from '../../typings/api';

/** Same order as the server's seed; `rare` is the short one. */
export const PRODUCT_CATEGORIES: readonly ProductCategory[] = [
  'phones',
  'laptops',
  'audio',
  'cameras',
  'home',
  'books',
  'rare',
];

export type CategoryTab = ProductCategory | 'all';

export const CATEGORY_TABS: readonly CategoryTab[] = ['all', ...PRODUCT_CATEGORIES];

/**
 * The category a tab stands for: undefined for "all", null for anything that is not a tab
 * (a tap's dataset is outside input).
 */
export function categoryFromTab(tab: string): ProductCategory | undefined | null {
  if (tab === 'all') return undefined;
  return (PRODUCT_CATEGORIES as readonly string[]).includes(tab) ? (tab as ProductCategory) : null;
}

export interface CategoryTabView {
  value: CategoryTab;
  label: string;
}

/** Tabs with their labels from the message table (`products.category.<tab>`). */
export function categoryTabViews(label: (key: string) => string): CategoryTabView[] {
  return CATEGORY_TABS.map((value) => ({ value, label: label(`products.category.${value}`) }));
}
