/** Network monitor: binds MonitorController (snapshot → rows, totals, slowest, latency bars). */
import { textsFor } from '../../i18n/messages';
import { services } from '../../services/container';
import { ICONS } from '../../services/icons';
import { onLocaleChange } from '../../utils/i18n';
import { INITIAL_MONITOR_DATA, MonitorController } from './controller';
import type { MonitorData } from './controller';

type Data = MonitorData & { t: Record<string, string>; icons: typeof ICONS };

interface Custom {
  controller?: MonitorController;
  offLocale?: () => void;
  renderTexts(): void;
  onRefresh(): void;
  onReset(): void;
}

Page<Data, Custom>({
  data: { ...INITIAL_MONITOR_DATA, t: {}, icons: ICONS },

  onLoad() {
    this.controller = new MonitorController(this, services().monitor, {
      setInterval: (callback, ms) => setInterval(callback, ms),
      clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
    });
    this.renderTexts();
    this.offLocale = onLocaleChange(() => this.renderTexts());
  },

  onShow() {
    this.controller?.show();
  },

  onHide() {
    this.controller?.hide();
  },

  onUnload() {
    this.controller?.hide();
    this.offLocale?.();
  },

  renderTexts() {
    const texts = textsFor('monitor');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts });
  },

  onRefresh() {
    this.controller?.render();
  },

  onReset() {
    this.controller?.reset();
  },
});
