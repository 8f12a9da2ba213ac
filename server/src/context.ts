import type { AuthService } from './auth/auth-service';
import type { ChatService } from './chat/chat-service';
import type { ServerOptions } from './config';
import type { FaultInjector } from './dev/faults';
import type { DevCounters } from './dev/stats';
import type { FavoriteService } from './favorites/favorite-service';
import type { Housekeeping } from './housekeeping';
import type { PlaceholderImages } from './images/image-cache';
import type { MetricsAggregator } from './metrics/aggregator';
import type { ProductService } from './products/product-service';
import type { Repositories } from './repositories/types';
import type { BlobStore } from './uploads/blob-store';
import type { FileService } from './uploads/file-service';

/** Everything a route needs, built once per server. */
export interface AppContext {
  options: ServerOptions;
  repos: Repositories;
  auth: AuthService;
  products: ProductService;
  favorites: FavoriteService;
  blobs: BlobStore;
  housekeeping: Housekeeping;
  files: FileService;
  chat: ChatService;
  metrics: MetricsAggregator;
  images: PlaceholderImages;
  counters: DevCounters;
  faults: FaultInjector;
}
