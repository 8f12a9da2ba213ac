/**
 * The privacy agreement step. WeChat calls `wx.onNeedPrivacyAuthorization` when the user is
 * about to use a privacy-sensitive API without having agreed; app.ts forwards that here, the
 * login page shows the agreement, and the user's answer resolves the platform's request.
 */
export type PrivacyAnswer = 'agree' | 'disagree';
type Resolver = (result: { event: PrivacyAnswer; buttonId?: string }) => void;

let pending: Resolver | undefined;
const listeners = new Set<(waiting: boolean) => void>();

/** Called by the platform hook; a newer request replaces (and declines) an older one. */
export function requestPrivacyConsent(resolve: Resolver): void {
  if (pending) pending({ event: 'disagree' });
  pending = resolve;
  listeners.forEach((listener) => listener(true));
}

export function isPrivacyConsentPending(): boolean {
  return pending !== undefined;
}

/** The user answered. `buttonId` is the agree button's id (the platform checks it). */
export function answerPrivacyConsent(answer: PrivacyAnswer, buttonId?: string): boolean {
  const resolve = pending;
  if (!resolve) return false;
  pending = undefined;
  resolve(answer === 'agree' ? { event: 'agree', buttonId } : { event: 'disagree' });
  listeners.forEach((listener) => listener(false));
  return true;
}

export function onPrivacyConsentChange(listener: (waiting: boolean) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The platform hook as WeChat calls it (the shipped typings omit the resolve argument). */
export interface PrivacyWx {
  onNeedPrivacyAuthorization?: (
    listener: (resolve: Resolver, eventInfo: { referrer: string }) => void,
  ) => void;
}
