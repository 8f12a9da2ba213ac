/**
 * Logout as the user means it: revoke the token on the server (best effort), then clear the
 * session, the user's cache partition, the offline outbox and the app-level stores.
 */
import { revokeSession } from '../api/auth';
import { services } from './container';
import { resetFavorites } from './favorites-registry';
import { setCurrentUser } from './user';

export async function logout(): Promise<void> {
  const app = services();
  try {
    await revokeSession();
  } catch (_error) {
    // Offline or already expired: the local clean-up below is what matters.
  }
  // Queued mutations belong to the user who made them; never replay them for the next one.
  app.outbox.clear();
  await app.session.logout();
  resetFavorites();
  setCurrentUser(undefined, wx);
}
