/** Network monitor: the monitor's snapshot as rows, totals, slowest requests and latency bars. */
import { textsFor } from '../../i18n/messages';
import { services } from '../../services/container';
import { ICONS } from '../../services/icons';
import { monitorView } from '../../services/monitor-view';
import type { MonitorView } from '../../services/monitor-view';
import { onLocaleChange } from '../../utils/i18n';

/** How often the page re-reads the snapshot while it is showing. */
const REFRESH_MS = 2000;

interface Data {
  view: MonitorView;
  t: Record<string, string>;
  icons: typeof ICONS;
}

interface Custom {
  timer?: ReturnType<typeof setInterval>;
  offLocale?: () => void;
  render(): void;
  renderTexts(): void;
  onRefresh(): void;
  onReset(): void;
}

Page<Data, Custom>({
  data: {
    view: monitorView({
      totals: { count: 0, errors: 0, cacheHits: 0, retries: 0 },
      endpoints: [],
      slowest: [],
      recent: [],
    }),
    t: {},
    icons: ICONS,
  },

  onLoad() {
    this.renderTexts();
    this.offLocale = onLocaleChange(() => this.renderTexts());
  },

  onShow() {
    this.render();
    this.timer = setInterval(() => this.render(), REFRESH_MS);
  },

  onHide() {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  },

  onUnload() {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.offLocale?.();
  },

  render() {
    this.setData({ view: monitorView(services().monitor.snapshot()) });
  },

  renderTexts() {
    const texts = textsFor('monitor');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts });
  },

  onRefresh() {
    this.render();
  },

  onReset() {
    services().monitor.reset();
    this.render();
  },
});
