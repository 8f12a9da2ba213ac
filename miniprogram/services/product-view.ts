/** What a product row / detail needs on screen, from the API's Product. */
import type { Product, ProductDetail } from '../../typings/api';
import { absoluteUrl, formatPrice } from './format';

export interface ProductView {
  id: string;
  title: string;
  priceText: string;
  imageUrl: string;
  category: string;
  favorite: boolean;
}

export interface ProductDetailView extends ProductView {
  description: string;
}

export function productView(apiBase: string, product: Product, favorite: boolean): ProductView {
  return {
    id: product.id,
    title: product.title,
    priceText: formatPrice(product.price),
    imageUrl: absoluteUrl(apiBase, product.imageUrl),
    category: product.category,
    favorite,
  };
}

export function productDetailView(
  apiBase: string,
  product: Product | ProductDetail,
  favorite: boolean,
): ProductDetailView {
  const known = 'favorite' in product ? product.favorite : favorite;
  return { ...productView(apiBase, product, known), description: product.description };
}
