/** The signed-in user as the pages show it; persisted so chat knows "me" after a restart. */
import type { User } from '../../typings/api';

export const USER_STORAGE_KEY = 'app:user';

let user: User | undefined;
const listeners = new Set<(user: User | undefined) => void>();

function isUser(value: unknown): value is User {
  const candidate = value as Partial<User> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.id === 'string' &&
    typeof candidate.nickname === 'string'
  );
}

export function restoreUser(storage: { getStorageSync(key: string): unknown }): User | undefined {
  try {
    const stored = storage.getStorageSync(USER_STORAGE_KEY);
    user = isUser(stored) ? stored : undefined;
  } catch (_error) {
    user = undefined;
  }
  return user;
}

export function currentUser(): User | undefined {
  return user;
}

export function setCurrentUser(
  next: User | undefined,
  storage?: {
    setStorageSync(key: string, value: unknown): void;
    removeStorageSync(key: string): void;
  },
): void {
  user = next;
  try {
    if (next) storage?.setStorageSync(USER_STORAGE_KEY, next);
    else storage?.removeStorageSync(USER_STORAGE_KEY);
  } catch (_error) {
    // Storage full: the user stays known for this run.
  }
  listeners.forEach((listener) => listener(next));
}

export function onUserChange(listener: (user: User | undefined) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
