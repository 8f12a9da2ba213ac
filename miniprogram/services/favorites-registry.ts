/** The app's one FavoritesStore, built on first use from the wired outbox. */
import { createIdempotencyKey } from '../utils/ids';
import { services } from './container';
import { FavoritesStore } from './favorites';

let store: FavoritesStore | undefined;

export function favorites(): FavoritesStore {
  if (!store) store = new FavoritesStore(services().outbox, createIdempotencyKey);
  return store;
}

/** After logout: the next user starts from their own server state. */
export function resetFavorites(): void {
  store?.dispose();
  store = undefined;
}
