/** Me tab: binds MeController to the page; the platform calls (wx.*) are made here. */
import { fetchMe } from '../../api/auth';
import { textsFor } from '../../i18n/messages';
import { services } from '../../services/container';
import { ICONS } from '../../services/icons';
import { applyTabBarTexts, switchLocale } from '../../services/locale';
import { logout } from '../../services/logout';
import { currentUser, onUserChange, setCurrentUser } from '../../services/user';
import { getLocale, onLocaleChange } from '../../utils/i18n';
import { INITIAL_ME_DATA, MeController } from './controller';
import type { MeData } from './controller';

type Data = MeData & { t: Record<string, string>; icons: typeof ICONS };

interface Custom {
  controller?: MeController;
  offLocale?: () => void;
  renderTexts(): void;
  onSwitchLanguage(): void;
  onOpenMonitor(): void;
  onAvatarError(): void;
  onLogout(): void;
}

/** wx.showModal as a promise that always settles: true only for "confirm". */
function confirm(title: string, content: string, confirmText: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText,
      success: (result) => resolve(result.confirm),
      fail: () => resolve(false),
    });
  });
}

Page<Data, Custom>({
  data: { ...INITIAL_ME_DATA, t: {}, icons: ICONS },

  onLoad() {
    const { config } = services();
    this.controller = new MeController(this, {
      apiBase: config.apiBase,
      version: config.version,
      currentUser,
      onUserChange,
      // Background refresh: a failure keeps the cached user, no toast (the monitor records it).
      refreshUser: () => fetchMe({ silent: true }).then((user) => setCurrentUser(user, wx)),
      getLocale,
      onLocaleChange,
      switchLocale: (locale) => switchLocale(wx, locale),
      confirmLogout: () =>
        confirm(this.data.t.logoutConfirmTitle, this.data.t.logoutConfirmBody, this.data.t.logout),
      logout,
      toLogin: () => wx.reLaunch({ url: '/pages/login/index?reason=logout' }),
      openMonitor: () => wx.navigateTo({ url: '/pages/monitor/index' }),
    });
    this.renderTexts();
    this.offLocale = onLocaleChange(() => this.renderTexts());
    void this.controller.start();
  },

  onShow() {
    applyTabBarTexts(wx);
  },

  onUnload() {
    this.controller?.stop();
    this.offLocale?.();
  },

  renderTexts() {
    const texts = textsFor('me');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts });
  },

  onSwitchLanguage() {
    this.controller?.switchLanguage();
  },

  onOpenMonitor() {
    this.controller?.openMonitor();
  },

  onAvatarError() {
    this.controller?.avatarFailed();
  },

  onLogout() {
    void this.controller?.logout();
  },
});
