/**
 * offline-banner: every page puts `<offline-banner />` at the top and does nothing else.
 * It subscribes to the connectivity store and the outbox itself (from the services app.ts
 * wired), shows "offline, N actions waiting", and after a flush "sent N queued actions" for
 * `flushNoticeMs`, then hides.
 */
import { bannerView } from '../../services/banner';
import type { BannerMode } from '../../services/banner';
import { maybeServices } from '../../services/container';
import { ICONS } from '../../services/icons';
import type { AppIconProps } from '../../services/icons';
import type { OutboxEvent } from '../../services/ports';
import { onLocaleChange } from '../../utils/i18n';
import '../../i18n/messages';

interface BannerData {
  visible: boolean;
  mode: BannerMode;
  text: string;
  theme: string;
  /** The notice bar's prefix icon, from the app's bundled set (no CDN font). */
  icon: AppIconProps;
  pending: number;
}

interface BannerInstance {
  unsubscribes: Array<() => void>;
  flushed: number | undefined;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
}

const MODE_ICONS: Record<BannerMode, AppIconProps> = {
  hidden: ICONS.wifi,
  offline: ICONS.wifiOff,
  weak: ICONS.wifi,
  flushed: ICONS.checkCircle,
};

Component<
  BannerData,
  { flushNoticeMs: { type: NumberConstructor; value: number } },
  {
    render(): void;
    subscribe(): void;
    unsubscribe(): void;
    onOutbox(event: OutboxEvent): void;
  },
  [],
  BannerInstance
>({
  properties: {
    /** How long "sent N queued actions" stays up. */
    flushNoticeMs: { type: Number, value: 3000 },
  },
  data: { visible: false, mode: 'hidden', text: '', theme: 'info', icon: ICONS.wifi, pending: 0 },
  lifetimes: {
    attached() {
      this.unsubscribes = [];
      this.flushed = undefined;
      this.flushTimer = undefined;
      this.subscribe();
      this.render();
    },
    detached() {
      this.unsubscribe();
    },
  },
  pageLifetimes: {
    // A page kept in the stack missed nothing (it stayed subscribed), but re-render in case
    // the locale changed while it was hidden.
    show() {
      this.render();
    },
  },
  methods: {
    subscribe() {
      const services = maybeServices();
      if (!services) return;
      this.unsubscribes.push(
        services.connectivity.subscribe(() => this.render()),
        services.outbox.subscribe((event) => this.onOutbox(event)),
        onLocaleChange(() => this.render()),
      );
    },
    unsubscribe() {
      for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
      if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    },
    onOutbox(event: OutboxEvent) {
      if (event.type === 'flushed' && event.sent > 0) {
        this.flushed = event.sent;
        if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
        this.flushTimer = setTimeout(() => {
          this.flushTimer = undefined;
          this.flushed = undefined;
          this.render();
        }, this.data.flushNoticeMs);
      }
      this.render();
    },
    render() {
      const services = maybeServices();
      const state = services?.connectivity.state ?? { online: true, weak: false };
      const pending = services?.outbox.pending ?? 0;
      const view = bannerView({
        online: state.online,
        weak: state.weak,
        pending,
        flushed: this.flushed,
      });
      const next: BannerData = { ...view, icon: MODE_ICONS[view.mode], pending };
      const current = this.data;
      // setData only when something changed: the banner sits on every page.
      if (
        current.visible !== next.visible ||
        current.text !== next.text ||
        current.mode !== next.mode ||
        current.pending !== next.pending
      ) {
        this.setData(next);
      }
    },
  },
});
