/** Me tab: the user, language switch (persisted), the network monitor link, and logout. */
import { fetchMe } from '../../api/auth';
import { textsFor } from '../../i18n/messages';
import { services } from '../../services/container';
import { applyTabBarTexts, switchLocale } from '../../services/locale';
import { logout } from '../../services/logout';
import { currentUser, onUserChange, setCurrentUser } from '../../services/user';
import type { User } from '../../../typings/api';
import { getLocale, onLocaleChange } from '../../utils/i18n';
import type { Locale } from '../../utils/i18n';

const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English' };

interface Data {
  user: User | null;
  locale: Locale;
  localeName: string;
  version: string;
  t: Record<string, string>;
}

interface Custom {
  unsubscribes: Array<() => void>;
  loggingOut: boolean;
  renderTexts(): void;
  onSwitchLanguage(): void;
  onOpenMonitor(): void;
  onLogout(): void;
}

Page<Data, Custom>({
  data: { user: null, locale: 'zh-CN', localeName: '', version: '', t: {} },
  unsubscribes: [],
  loggingOut: false,

  onLoad() {
    this.unsubscribes = [
      onLocaleChange(() => this.renderTexts()),
      onUserChange((user) => this.setData({ user: user ?? null })),
    ];
    this.setData({ user: currentUser() ?? null, version: services().config.version });
    this.renderTexts();
    fetchMe().then(
      (user) => setCurrentUser(user, wx),
      () => undefined, // the cached user stays on screen
    );
  },

  onShow() {
    applyTabBarTexts(wx);
  },

  onUnload() {
    this.unsubscribes.forEach((unsubscribe) => unsubscribe());
  },

  renderTexts() {
    const texts = textsFor('me');
    const locale = getLocale();
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts, locale, localeName: LOCALE_NAMES[locale] });
  },

  onSwitchLanguage() {
    switchLocale(wx, getLocale() === 'zh-CN' ? 'en' : 'zh-CN');
  },

  onOpenMonitor() {
    wx.navigateTo({ url: '/pages/monitor/index' });
  },

  onLogout() {
    if (this.loggingOut) return;
    const texts = this.data.t;
    wx.showModal({
      title: texts.logoutConfirmTitle,
      content: texts.logoutConfirmBody,
      confirmText: texts.logout,
      success: ({ confirm }) => {
        if (!confirm) return;
        this.loggingOut = true;
        logout().finally(() => {
          this.loggingOut = false;
          wx.reLaunch({ url: '/pages/login/index?reason=logout' });
        });
      },
    });
  },
});
