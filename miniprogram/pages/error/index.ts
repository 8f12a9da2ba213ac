/** The page errors with showType 9 go to: the server's message, the trace id, a way home. */
import { textsFor } from '../../i18n/messages';
import { ICONS } from '../../services/icons';
import { errorPageText } from './view';

interface Data {
  message: string;
  traceId: string;
  t: Record<string, string>;
  icons: typeof ICONS;
}

Page<Data, { onHome(): void }>({
  data: { message: '', traceId: '', t: {}, icons: ICONS },

  onLoad(query) {
    const texts = textsFor('error');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({ t: texts, ...errorPageText(query) });
  },

  onHome() {
    wx.switchTab({ url: '/pages/products/index' });
  },
});
