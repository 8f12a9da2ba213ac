/** The page errors with showType 9 go to: the server's message, the trace id, a way home. */
import { textsFor } from '../../i18n/messages';

interface Data {
  message: string;
  traceId: string;
  t: Record<string, string>;
}

Page<Data, { onHome(): void }>({
  data: { message: '', traceId: '', t: {} },

  onLoad(query) {
    const texts = textsFor('error');
    wx.setNavigationBarTitle({ title: texts.title });
    const decode = (value: string | undefined) => {
      try {
        return decodeURIComponent(value ?? '').slice(0, 500);
      } catch (_error) {
        return '';
      }
    };
    this.setData({ t: texts, message: decode(query.message), traceId: decode(query.traceId) });
  },

  onHome() {
    wx.switchTab({ url: '/pages/products/index' });
  },
});
