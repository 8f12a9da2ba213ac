/**
 * The login page's logic: shown only when the silent login on launch failed, or after logout.
 * Retry signs in again and the error is said in plain words. When the platform asks for privacy
 * consent (wx.onNeedPrivacyAuthorization, or getPrivacySetting says it is needed) the agreement
 * step comes first, and the user's answer resolves the platform's request.
 */
import type { PageView } from '../../services/page-view';
import { Subscriptions } from '../../services/page-view';
import type { PrivacyAnswer } from '../../services/privacy';

export type LoginState = 'signing-in' | 'failed' | 'logged-out';

export interface LoginData {
  state: LoginState;
  errorText: string;
  /** The privacy agreement step is showing. */
  privacy: boolean;
  privacyDeclined: boolean;
}

export const INITIAL_LOGIN_DATA: LoginData = {
  state: 'failed',
  errorText: '',
  privacy: false,
  privacyDeclined: false,
};

/** The agree button's id: the platform checks it when the consent is resolved. */
export const AGREE_PRIVACY_BUTTON_ID = 'agree-privacy';

/** The page's query: `reason=failed|logout`, `privacy=1` when the privacy hook opened it. */
export interface LoginQuery {
  reason?: string;
  privacy?: string;
}

/** services/privacy.ts plus the platform's own "is consent needed" question. */
export interface LoginPrivacy {
  isPending(): boolean;
  answer(answer: PrivacyAnswer, buttonId?: string): boolean;
  onChange(listener: (waiting: boolean) => void): () => void;
  /** wx.getPrivacySetting; resolves false when the base library cannot say. Never rejects. */
  needsAuthorization(): Promise<boolean>;
}

export interface LoginDeps {
  signIn(): Promise<unknown>;
  /** Why the silent login on launch failed, if it did. */
  lastError(): unknown;
  describeError(error: unknown): string;
  privacy: LoginPrivacy;
  /** Signed in: to the products tab. */
  toHome(): void;
  /** Back to the page the privacy request interrupted; resolves false when there is none. */
  back(): Promise<boolean>;
}

export class LoginController {
  private readonly subscriptions = new Subscriptions();
  /** getPrivacySetting said consent is needed before anything else. */
  private privacyRequired = false;
  /** Opened by the privacy hook over another page: go back there after the answer. */
  private openedForPrivacy = false;
  private attempting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly view: PageView<LoginData>,
    private readonly deps: LoginDeps,
  ) {}

  /** onLoad. Resolves once the platform said whether consent is needed. */
  start(query: LoginQuery): Promise<void> {
    this.openedForPrivacy = query.privacy === '1';
    this.subscriptions.add(
      this.deps.privacy.onChange((waiting) => {
        if (!this.stopped) this.view.setData({ privacy: waiting || this.privacyRequired });
      }),
    );
    const state: LoginState = query.reason === 'logout' ? 'logged-out' : 'failed';
    const error = this.deps.lastError();
    this.view.setData({
      state,
      errorText: state === 'failed' && error !== undefined ? this.deps.describeError(error) : '',
      privacy: this.deps.privacy.isPending(),
      privacyDeclined: false,
    });
    return this.deps.privacy.needsAuthorization().then((needed) => {
      if (this.stopped) return undefined;
      if (needed) {
        this.privacyRequired = true;
        this.view.setData({ privacy: true });
        return undefined;
      }
      // Opened for a request that was answered meanwhile: nothing to ask, back where it was.
      if (this.openedForPrivacy && !this.deps.privacy.isPending()) {
        return this.deps.back().then(() => undefined);
      }
      return undefined;
    });
  }

  /** onUnload: no more updates to a page that is gone. */
  stop(): void {
    this.stopped = true;
    this.subscriptions.releaseAll();
  }

  /** Signs in; on success goes home, on failure says why. One attempt at a time. */
  attempt(): Promise<void> {
    if (this.attempting) return this.attempting;
    this.view.setData({ state: 'signing-in', errorText: '' });
    this.attempting = this.deps.signIn().then(
      () => {
        this.attempting = undefined;
        if (!this.stopped) this.deps.toHome();
      },
      (error: unknown) => {
        this.attempting = undefined;
        if (!this.stopped) {
          this.view.setData({ state: 'failed', errorText: this.deps.describeError(error) });
        }
      },
    );
    return this.attempting;
  }

  /** The agree button (open-type agreePrivacyAuthorization) was tapped. */
  agreePrivacy(): Promise<void> {
    this.privacyRequired = false;
    this.deps.privacy.answer('agree', AGREE_PRIVACY_BUTTON_ID);
    this.view.setData({ privacy: false, privacyDeclined: false });
    if (this.openedForPrivacy) {
      // Back to the interrupted page; if there is none, this page is all there is: sign in.
      return this.deps.back().then((wentBack) => (wentBack ? undefined : this.attempt()));
    }
    // After a logout the user signs in by tapping; otherwise continue what failed.
    return this.view.data.state === 'logged-out' ? Promise.resolve() : this.attempt();
  }

  declinePrivacy(): Promise<void> {
    this.deps.privacy.answer('disagree');
    this.view.setData({ privacyDeclined: true });
    return this.openedForPrivacy ? this.deps.back().then(() => undefined) : Promise.resolve();
  }
}
