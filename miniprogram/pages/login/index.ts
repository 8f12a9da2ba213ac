/**
 * Login: shown only when the silent login on launch failed, or after logout. Retry signs in
 * again; the error is said in plain words. When the platform asks for privacy consent
 * (wx.onNeedPrivacyAuthorization, or getPrivacySetting says it is needed) the agreement step
 * comes first.
 */
import { textsFor } from '../../i18n/messages';
import { plainError } from '../../services/error-text';
import {
  answerPrivacyConsent,
  isPrivacyConsentPending,
  onPrivacyConsentChange,
} from '../../services/privacy';
import { lastSignInError, signIn } from '../../services/sign-in';
import { onLocaleChange } from '../../utils/i18n';

type LoginState = 'signing-in' | 'failed' | 'logged-out';

interface Data {
  state: LoginState;
  errorText: string;
  privacy: boolean;
  privacyDeclined: boolean;
  t: Record<string, string>;
}

interface Custom {
  unsubscribes: Array<() => void>;
  /** getPrivacySetting said consent is needed before anything else. */
  privacyRequired: boolean;
  /** Opened by the privacy hook over another page: go back there after the answer. */
  openedForPrivacy: boolean;
  renderTexts(): void;
  attempt(): Promise<void>;
  onRetry(): void;
  onAgreePrivacy(): void;
  onDeclinePrivacy(): void;
  onOpenPrivacyContract(): void;
}

Page<Data, Custom>({
  data: { state: 'failed', errorText: '', privacy: false, privacyDeclined: false, t: {} },
  unsubscribes: [],
  privacyRequired: false,
  openedForPrivacy: false,

  onLoad(query) {
    this.openedForPrivacy = query.privacy === '1';
    this.renderTexts();
    this.unsubscribes = [
      onLocaleChange(() => this.renderTexts()),
      onPrivacyConsentChange((waiting) =>
        this.setData({ privacy: waiting || this.privacyRequired }),
      ),
    ];
    const reason = query.reason === 'logout' ? 'logged-out' : 'failed';
    const error = lastSignInError();
    this.setData({
      state: reason,
      errorText: reason === 'failed' && error !== undefined ? plainError(error) : '',
      privacy: isPrivacyConsentPending(),
    });
    if (typeof wx.getPrivacySetting === 'function') {
      wx.getPrivacySetting({
        success: ({ needAuthorization }) => {
          this.privacyRequired = needAuthorization;
          if (needAuthorization) this.setData({ privacy: true });
        },
      });
    }
  },

  onUnload() {
    this.unsubscribes.forEach((unsubscribe) => unsubscribe());
  },

  renderTexts() {
    const texts = textsFor('login', 'common');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts });
  },

  async attempt() {
    this.setData({ state: 'signing-in', errorText: '' });
    try {
      await signIn();
      wx.switchTab({ url: '/pages/products/index' });
    } catch (error) {
      this.setData({ state: 'failed', errorText: plainError(error) });
    }
  },

  onRetry() {
    if (this.data.state === 'signing-in') return;
    void this.attempt();
  },

  onAgreePrivacy() {
    this.privacyRequired = false;
    answerPrivacyConsent('agree', 'agree-privacy');
    this.setData({ privacy: false, privacyDeclined: false });
    if (this.openedForPrivacy) wx.navigateBack({ fail: () => this.attempt() });
    else if (this.data.state !== 'logged-out') void this.attempt();
  },

  onDeclinePrivacy() {
    answerPrivacyConsent('disagree');
    this.setData({ privacyDeclined: true });
    if (this.openedForPrivacy) wx.navigateBack({ fail: () => undefined });
  },

  onOpenPrivacyContract() {
    if (typeof wx.openPrivacyContract === 'function') wx.openPrivacyContract({});
  },
});
