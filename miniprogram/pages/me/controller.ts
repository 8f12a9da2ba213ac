/**
 * The "Me" tab's logic: the user (cached at once, refreshed from the API), the language switch
 * (persisted by services/locale), the link to the network monitor, and logout after a
 * confirmation (session, the user's cache partition and the outbox are cleared).
 */
import { absoluteUrl } from '../../services/format';
import type { PageView } from '../../services/page-view';
import { Subscriptions } from '../../services/page-view';
import type { Locale } from '../../utils/i18n';
import type { User } from '../../../typings/api';

export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  'zh-CN': '简体中文',
  en: 'English',
};

export interface MeData {
  user: User | null;
  locale: Locale;
  /** The current language in its own words. */
  localeName: string;
  version: string;
  /** The avatar image to load (absolute: the API serves it), '' for the user icon. */
  avatarSrc: string;
  /** The avatar image could not load: the avatar shows the user icon instead. */
  avatarFailed: boolean;
}

export const INITIAL_ME_DATA: MeData = {
  user: null,
  locale: 'zh-CN',
  localeName: LOCALE_NAMES['zh-CN'],
  version: '',
  avatarSrc: '',
  avatarFailed: false,
};

export interface MeDeps {
  /** The API origin: avatar URLs are paths on it. */
  apiBase: string;
  version: string;
  currentUser(): User | undefined;
  onUserChange(listener: (user: User | undefined) => void): () => void;
  /** Fetches the profile and stores it as the current user. */
  refreshUser(): Promise<unknown>;
  getLocale(): Locale;
  onLocaleChange(listener: (locale: Locale) => void): () => void;
  /** Applies and persists the language. */
  switchLocale(locale: Locale): void;
  /** Asks "sign out?"; resolves true only when the user confirmed. Never rejects. */
  confirmLogout(): Promise<boolean>;
  /** Revokes, then clears session, cache partition and outbox. */
  logout(): Promise<void>;
  /** To the login page, saying the user signed out. */
  toLogin(): void;
  openMonitor(): void;
}

export type LogoutOutcome = 'logged-out' | 'kept' | 'busy';

export class MeController {
  private readonly subscriptions = new Subscriptions();
  private loggingOut = false;

  constructor(
    private readonly view: PageView<MeData>,
    private readonly deps: MeDeps,
  ) {}

  /** onLoad: the cached user at once, then the fresh profile; a failure keeps the cached one. */
  start(): Promise<void> {
    this.subscriptions.add(
      this.deps.onUserChange((user) => {
        const sameAvatar = user?.avatarUrl === this.view.data.user?.avatarUrl;
        this.showUser(user, sameAvatar && this.view.data.avatarFailed);
      }),
      this.deps.onLocaleChange(() => this.renderLocale()),
    );
    this.view.setData({ version: this.deps.version });
    this.showUser(this.deps.currentUser(), false);
    this.renderLocale();
    return this.deps.refreshUser().then(
      () => undefined,
      () => undefined, // the cached user stays on screen; the monitor has the failure
    );
  }

  stop(): void {
    this.subscriptions.releaseAll();
  }

  /** zh-CN ↔ English. */
  switchLanguage(): Locale {
    const next: Locale = this.deps.getLocale() === 'zh-CN' ? 'en' : 'zh-CN';
    this.deps.switchLocale(next);
    return next;
  }

  /** The avatar image failed to load (offline, gone): fall back to the icon, not broken text. */
  avatarFailed(): void {
    if (!this.view.data.avatarFailed) this.view.setData({ avatarFailed: true, avatarSrc: '' });
  }

  openMonitor(): void {
    this.deps.openMonitor();
  }

  /** Confirm, clear everything, then the login page, whatever the server said. */
  async logout(): Promise<LogoutOutcome> {
    if (this.loggingOut) return 'busy';
    this.loggingOut = true;
    try {
      if (!(await this.deps.confirmLogout())) return 'kept';
      // The local clean-up decides; a failure there still ends on the login page.
      await this.deps.logout().catch(() => undefined);
      this.deps.toLogin();
      return 'logged-out';
    } finally {
      this.loggingOut = false;
    }
  }

  private showUser(user: User | undefined, avatarFailed: boolean): void {
    const avatarSrc =
      user?.avatarUrl && !avatarFailed ? absoluteUrl(this.deps.apiBase, user.avatarUrl) : '';
    this.view.setData({ user: user ?? null, avatarSrc, avatarFailed });
  }

  private renderLocale(): void {
    const locale = this.deps.getLocale();
    this.view.setData({ locale, localeName: LOCALE_NAMES[locale] });
  }
}
