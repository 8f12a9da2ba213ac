/** Login: binds LoginController to the page; the platform calls (wx.*) are made here. */
import { textsFor } from '../../i18n/messages';
import { plainError } from '../../services/error-text';
import { ICONS } from '../../services/icons';
import {
  answerPrivacyConsent,
  isPrivacyConsentPending,
  onPrivacyConsentChange,
} from '../../services/privacy';
import { lastSignInError, signIn } from '../../services/sign-in';
import { onLocaleChange } from '../../utils/i18n';
import { INITIAL_LOGIN_DATA, LoginController } from './controller';
import type { LoginData } from './controller';

type Data = LoginData & { t: Record<string, string>; icons: typeof ICONS };

interface Custom {
  controller?: LoginController;
  offLocale?: () => void;
  renderTexts(): void;
  onRetry(): void;
  onAgreePrivacy(): void;
  onDeclinePrivacy(): void;
  onOpenPrivacyContract(): void;
}

/** wx.getPrivacySetting as a promise that always settles (false when the platform cannot say). */
function needsPrivacyAuthorization(): Promise<boolean> {
  if (typeof wx.getPrivacySetting !== 'function') return Promise.resolve(false);
  return new Promise((resolve) => {
    wx.getPrivacySetting({
      success: ({ needAuthorization }) => resolve(needAuthorization),
      fail: () => resolve(false),
    });
  });
}

function navigateBack(): Promise<boolean> {
  return new Promise((resolve) => {
    wx.navigateBack({ success: () => resolve(true), fail: () => resolve(false) });
  });
}

Page<Data, Custom>({
  data: { ...INITIAL_LOGIN_DATA, t: {}, icons: ICONS },

  onLoad(query) {
    this.controller = new LoginController(this, {
      signIn,
      lastError: lastSignInError,
      describeError: plainError,
      privacy: {
        isPending: isPrivacyConsentPending,
        answer: answerPrivacyConsent,
        onChange: onPrivacyConsentChange,
        needsAuthorization: needsPrivacyAuthorization,
      },
      toHome: () => wx.switchTab({ url: '/pages/products/index' }),
      back: navigateBack,
    });
    this.renderTexts();
    this.offLocale = onLocaleChange(() => this.renderTexts());
    void this.controller.start(query);
  },

  onUnload() {
    this.controller?.stop();
    this.offLocale?.();
  },

  renderTexts() {
    const texts = textsFor('login', 'common');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts });
  },

  onRetry() {
    void this.controller?.attempt();
  },

  onAgreePrivacy() {
    void this.controller?.agreePrivacy();
  },

  onDeclinePrivacy() {
    void this.controller?.declinePrivacy();
  },

  onOpenPrivacyContract() {
    if (typeof wx.openPrivacyContract === 'function') wx.openPrivacyContract({});
  },
});
