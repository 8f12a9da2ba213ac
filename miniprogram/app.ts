/**
 * The app: wires config, http (session, cache, retry, scheduler, monitor), connectivity, the
 * outbox, the chat socket and uploads ONCE, then signs in silently. The login page appears only
 * when that fails. App errors and unhandled rejections go to the monitor.
 */
import './i18n/messages';
import { loadConfig } from './config';
import { restoreLocale } from './services/locale';
import { requestPrivacyConsent } from './services/privacy';
import type { PrivacyWx } from './services/privacy';
import { signIn } from './services/sign-in';
import { restoreUser } from './services/user';
import { wireServices } from './services/wiring';
import type { WiredApp } from './services/wiring';

const LOGIN_ROUTE = 'pages/login/index';

interface AppData {
  wired?: WiredApp;
}

App<AppData>({
  onLaunch() {
    restoreLocale(wx);
    restoreUser(wx);
    const config = loadConfig();
    this.wired = wireServices(config);
    listenForPrivacyRequests();
    signIn().catch(() => {
      wx.reLaunch({ url: `/${LOGIN_ROUTE}?reason=failed` });
    });
  },

  onError(message) {
    this.wired?.monitor.reportError(new Error(message), 'onError');
  },

  onUnhandledRejection(result) {
    this.wired?.monitor.reportError(result.reason, 'onUnhandledRejection');
  },
});

/** The platform asks for consent before a privacy-sensitive API: the login page shows the step. */
function listenForPrivacyRequests(): void {
  const api = wx as unknown as PrivacyWx;
  if (typeof api.onNeedPrivacyAuthorization !== 'function') return;
  api.onNeedPrivacyAuthorization((resolve) => {
    requestPrivacyConsent(resolve);
    const pages = getCurrentPages();
    const current = pages[pages.length - 1];
    if (current?.route !== LOGIN_ROUTE) wx.navigateTo({ url: `/${LOGIN_ROUTE}?privacy=1` });
  });
}
