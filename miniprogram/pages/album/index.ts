/** Album tab: binds AlbumController; wx.chooseMedia, previewImage and the save outcome toasts. */
import { textsFor } from '../../i18n/messages';
import { services } from '../../services/container';
import { ICONS } from '../../services/icons';
import { applyTabBarTexts } from '../../services/locale';
import type { SaveOutcome } from '../../services/ports';
import { onLocaleChange, t } from '../../utils/i18n';
import { AlbumController, INITIAL_ALBUM_DATA } from './controller';
import type { AlbumData } from './controller';

type Data = AlbumData & {
  t: Record<string, string>;
  tc: Record<string, string>;
  statusTexts: Record<string, string>;
  icons: typeof ICONS;
};

interface Custom {
  controller?: AlbumController;
  offLocale?: () => void;
  renderTexts(): void;
  onChoose(): void;
  onCancelUpload(event: WechatMiniprogram.TouchEvent): void;
  onRetryUpload(event: WechatMiniprogram.TouchEvent): void;
  onRetryFiles(): void;
  onPreview(event: WechatMiniprogram.TouchEvent): void;
  onSave(event: WechatMiniprogram.TouchEvent): void;
}

const SAVE_MESSAGES: Record<SaveOutcome, string> = {
  saved: 'album.saved',
  denied: 'album.saveDenied',
  failed: 'album.saveFailed',
  cancelled: '',
};

Page<Data, Custom>({
  data: { ...INITIAL_ALBUM_DATA, t: {}, tc: {}, statusTexts: {}, icons: ICONS },

  onLoad() {
    const app = services();
    this.controller = new AlbumController(this, {
      apiBase: app.config.apiBase,
      uploads: app.uploads,
      album: app.album,
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

  onReachBottom() {
    void this.controller?.loadMore();
  },

  onPullDownRefresh() {
    const done = (): void => {
      wx.stopPullDownRefresh();
    };
    if (!this.controller) return done();
    this.controller.reloadFiles().then(done, done);
  },

  renderTexts() {
    const texts = textsFor('album');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({
      t: texts,
      tc: textsFor('common'),
      statusTexts: {
        queued: texts.status_queued,
        uploading: texts.status_uploading,
        done: texts.status_done,
        failed: texts.status_failed,
        cancelled: texts.status_cancelled,
      },
    });
  },

  onChoose() {
    wx.chooseMedia({
      count: 9,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      success: (result) => {
        this.controller?.addFiles(
          result.tempFiles.map((file) => ({
            path: file.tempFilePath,
            size: file.size,
            name: file.tempFilePath.split('/').pop(),
          })),
        );
      },
      // Cancelling the picker is not an error.
      fail: () => undefined,
    });
  },

  onCancelUpload(event) {
    this.controller?.cancel(String(event.currentTarget.dataset.id ?? ''));
  },

  onRetryUpload(event) {
    this.controller?.retry(String(event.currentTarget.dataset.id ?? ''));
  },

  onRetryFiles() {
    void this.controller?.reloadFiles();
  },

  onPreview(event) {
    const url = String(event.currentTarget.dataset.url ?? '');
    if (url && this.controller) wx.previewImage(this.controller.previewUrls(url));
  },

  onSave(event) {
    const url = String(event.currentTarget.dataset.url ?? '');
    if (!url || !this.controller || this.data.saving) return;
    void this.controller.save(url).then((outcome) => {
      const key = SAVE_MESSAGES[outcome];
      if (key) wx.showToast({ title: t(key), icon: outcome === 'saved' ? 'success' : 'none' });
    });
  },
});
