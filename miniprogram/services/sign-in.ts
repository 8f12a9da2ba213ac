/**
 * Signing in: the session manager's single-flight login, then the user's profile.
 * Silent on launch; the login page calls it again for "retry" and after logout.
 * Offline-first: with a session and the user remembered from the last run, a profile request
 * that cannot reach the server keeps that user instead of sending them to the login page.
 */
import { fetchMe } from '../api/auth';
import type { User } from '../../typings/api';
import { isAppError } from '../utils/errors';
import { services } from './container';
import { currentUser, setCurrentUser } from './user';

const UNREACHABLE = new Set(['network', 'offline', 'timeout']);

async function profile(): Promise<User> {
  try {
    // The login page says why a sign-in failed: no toast on top of it.
    const user = await fetchMe({ silent: true });
    setCurrentUser(user, wx);
    return user;
  } catch (error) {
    const remembered = currentUser();
    if (remembered && isAppError(error) && UNREACHABLE.has(error.kind)) return remembered;
    throw error;
  }
}

let lastError: unknown;

export async function signIn(): Promise<User> {
  const app = services();
  try {
    await app.session.ensure();
    const user = await profile();
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
