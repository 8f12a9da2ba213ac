/** The page errors with showType 9 go to: the server's message, the trace id, a way home. */
import { textsFor } from '../../i18n/messages';
import { ICONS } from '../../services/icons';
import { t } from '../../utils/i18n';

const KINDS = ['network', 'timeout', 'offline', 'http', 'business', 'auth', 'parse'];

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
    const decode = (value: string | undefined) => {
      try {
        return decodeURIComponent(value ?? '').slice(0, 500);
      } catch (_error) {
        return '';
      }
    };
    // The error policy sends kind, code and trace id; a message is shown as it came.
    const kind = decode(query.kind);
    const message = decode(query.message) || (KINDS.includes(kind) ? t(`failure.${kind}`) : '');
    const code = decode(query.code);
    this.setData({
      t: texts,
      message: code ? `${message} (${code})` : message,
      traceId: decode(query.traceId),
    });
  },

  onHome() {
    wx.switchTab({ url: '/pages/products/index' });
  },
});
