import crypto from 'node:crypto';
import { placeholderPng } from './png';

export interface CachedImage {
  bytes: Buffer;
  etag: string;
}

/** Placeholder images are generated on first use and kept (bounded): a few KB each. */
export class PlaceholderImages {
  private readonly cache = new Map<string, CachedImage>();

  constructor(private readonly limit = 1000) {}

  get(seed: string): CachedImage {
    let image = this.cache.get(seed);
    if (!image) {
      const bytes = placeholderPng(seed);
      const etag = `"${crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;
      image = { bytes, etag };
      if (this.cache.size >= this.limit) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
      this.cache.set(seed, image);
    }
    return image;
  }
}
