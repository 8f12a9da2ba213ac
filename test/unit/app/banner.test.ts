import '../../../miniprogram/i18n/messages';
import { bannerView } from '../../../miniprogram/services/banner';
import { setLocale } from '../../../miniprogram/utils/i18n';

describe('bannerView', () => {
  afterEach(() => setLocale('zh-CN'));

  it('is hidden when online with nothing to say', () => {
    expect(bannerView({ online: true, weak: false, pending: 3 })).toMatchObject({
      visible: false,
      mode: 'hidden',
    });
  });

  it('says offline, with the queued count when there is one', () => {
    expect(bannerView({ online: false, weak: false, pending: 0 })).toMatchObject({
      visible: true,
      mode: 'offline',
      text: '网络已断开',
    });
    expect(bannerView({ online: false, weak: false, pending: 2 }).text).toBe(
      '网络已断开，2 个操作待发送',
    );
  });

  it('reports a flush in the current language', () => {
    setLocale('en');
    expect(bannerView({ online: true, weak: false, pending: 0, flushed: 3 })).toMatchObject({
      mode: 'flushed',
      text: 'Sent 3 queued actions',
      theme: 'success',
    });
  });

  it('prefers offline over a flush notice, and a flush over weak', () => {
    expect(bannerView({ online: false, weak: true, pending: 1, flushed: 2 }).mode).toBe('offline');
    expect(bannerView({ online: true, weak: true, pending: 0, flushed: 2 }).mode).toBe('flushed');
    expect(bannerView({ online: true, weak: true, pending: 0 }).mode).toBe('weak');
    expect(bannerView({ online: true, weak: false, pending: 0, flushed: 0 }).visible).toBe(false);
  });
});
