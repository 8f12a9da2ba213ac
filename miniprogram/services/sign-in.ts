/**
 * Signing in: the session manager's single-flight login, then the user's profile.
 * Silent on launch; the login page calls it again for "retry" and after logout.
 */
import { fetchMe } from '../api/auth';
import type { User } from '../../typings/api';
import { services } from './container';
import { setCurrentUser } from './user';

let lastError: unknown;

export async function signIn(): Promise<User> {
  const app = services();
  try {
    await app.session.ensure();
    // The login page says why in plain words: no toast on top of it.
    const user = await fetchMe({ silent: true });
    setCurrentUser(user, wx);
    lastError = undefined;
    return user;
  } catch (error) {
    lastError = error;
    throw error;
  }
}

/** Why the last sign-in failed, for the login page to say in plain words. */
export function lastSignInError(): unknown {
  return lastError;
}
