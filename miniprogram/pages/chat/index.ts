/** Chat tab: binds ChatController to the page; the socket is held only while the page shows. */
import { textsFor } from '../../i18n/messages';
import { services } from '../../services/container';
import { currentUser } from '../../services/user';
import { applyTabBarTexts } from '../../services/locale';
import { isAtBottom } from '../../services/scroll';
import { onLocaleChange, t } from '../../utils/i18n';
import { CHAT_TEXT_LIMIT, ChatController, INITIAL_CHAT_DATA } from './controller';
import type { ChatData } from './controller';

type Data = ChatData & {
  t: Record<string, string>;
  tc: Record<string, string>;
  statusText: string;
  unseenText: string;
  limit: number;
};

interface Custom {
  controller?: ChatController;
  offLocale?: () => void;
  viewportHeight: number;
  renderTexts(): void;
  onDraft(event: WechatMiniprogram.Input): void;
  onSend(): void;
  onRetryMessage(event: WechatMiniprogram.TouchEvent): void;
  onRetryHistory(): void;
  onScroll(event: WechatMiniprogram.ScrollViewScroll): void;
  onJumpToBottom(): void;
}

Page<Data, Custom>({
  data: {
    ...INITIAL_CHAT_DATA,
    t: {},
    tc: {},
    statusText: '',
    unseenText: '',
    limit: CHAT_TEXT_LIMIT,
  },
  viewportHeight: 0,

  onLoad() {
    const app = services();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the view adapter reads the live page
    const page = this;
    // Labels that follow status/unseen are derived here, next to the texts they use.
    const view = {
      get data() {
        return page.data;
      },
      setData: (patch: Record<string, unknown>) => {
        const extra: Record<string, unknown> = {};
        if ('status' in patch)
          extra.statusText = page.data.t[`status_${String(patch.status)}`] ?? '';
        if ('unseen' in patch)
          extra.unseenText = t('chat.newMessages', { count: Number(patch.unseen) });
        page.setData({ ...patch, ...extra });
      },
    };
    this.controller = new ChatController(view, {
      chat: app.chat,
      myUserId: () => currentUser()?.id,
      myNickname: () => currentUser()?.nickname ?? '',
    });
    this.renderTexts();
    this.offLocale = onLocaleChange(() => this.renderTexts());
    void this.controller.start();
  },

  onReady() {
    wx.createSelectorQuery()
      .select('.chat-list')
      .boundingClientRect((rect) => {
        if (rect) this.viewportHeight = rect.height;
      })
      .exec();
  },

  onShow() {
    applyTabBarTexts(wx);
    this.controller?.attach();
  },

  onHide() {
    this.controller?.detach();
  },

  onUnload() {
    this.controller?.stop();
    this.offLocale?.();
  },

  renderTexts() {
    const texts = textsFor('chat');
    wx.setNavigationBarTitle({ title: texts.title });
    this.setData({
      t: texts,
      tc: textsFor('common'),
      statusText: texts[`status_${this.data.status}`] ?? '',
      unseenText: t('chat.newMessages', { count: this.data.unseen }),
    });
  },

  onDraft(event) {
    this.controller?.onDraft(event.detail.value);
  },

  onSend() {
    const result = this.controller?.send();
    if (result === 'too-long') {
      wx.showToast({ title: t('chat.tooLong', { max: CHAT_TEXT_LIMIT }), icon: 'none' });
    }
  },

  onRetryMessage(event) {
    const clientId = String(event.currentTarget.dataset.clientId ?? '');
    if (clientId) this.controller?.retry(clientId);
  },

  onRetryHistory() {
    void this.controller?.loadHistory();
  },

  onScroll(event) {
    const { scrollTop, scrollHeight } = event.detail;
    this.controller?.setPinned(
      isAtBottom({ scrollTop, scrollHeight, viewportHeight: this.viewportHeight }),
    );
  },

  onJumpToBottom() {
    this.controller?.scrollToBottom();
  },
});
