import { asyncApi, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import { paramError } from './context';
import type { UiActionSheet, UiLoading, UiModal, UiScreen, UiToast } from './controls';
import type { DialogAnswer } from './host';

interface PendingModal {
  modal: UiModal;
  answer(result: { confirm: boolean; content?: string }): void;
}

interface PendingSheet {
  sheet: UiActionSheet;
  answer(tapIndex: number | null): void;
}

const TOAST_ICONS = ['success', 'error', 'loading', 'none'];

function text(value: unknown, fallback = ''): string {
  return value === undefined || value === null ? fallback : String(value);
}

/** WeChat's button text limit is 4 Chinese characters: a CJK character counts 2, ASCII 1. */
function textWidth(value: string): number {
  let width = 0;
  for (const ch of value) width += ch.charCodeAt(0) > 0xff ? 2 : 1;
  return width;
}

/**
 * What the simulated phone shows. Toast and loading share one slot as in WeChat (showing one hides
 * the other); modals and action sheets stay until a control (or the configured default) answers.
 */
export class Screen {
  toast: UiToast | null = null;
  loading: UiLoading | null = null;
  private readonly modals: PendingModal[] = [];
  private readonly sheets: PendingSheet[] = [];
  private toastTimer: NodeJS.Timeout | undefined;
  modalDefault: DialogAnswer;

  constructor(private readonly ctx: WxContext) {
    this.modalDefault = ctx.options.modalDefault ?? 'pending';
    ctx.disposers.push(() => {
      clearTimeout(this.toastTimer);
      // Nobody will answer after dispose: cancel, so every promise settles.
      while (this.modals.length) this.answerModal(false);
      while (this.sheets.length) this.answerSheet(null);
    });
  }

  current(): UiScreen {
    return {
      toast: this.toast,
      loading: this.loading,
      modal: this.modals[0]?.modal ?? null,
      actionSheet: this.sheets[0]?.sheet ?? null,
    };
  }

  showToast(toast: UiToast): void {
    clearTimeout(this.toastTimer);
    this.loading = null;
    this.toast = toast;
    this.toastTimer = setTimeout(() => {
      this.toast = null;
    }, toast.duration);
  }

  hideToast(): void {
    clearTimeout(this.toastTimer);
    this.toast = null;
  }

  showLoading(loading: UiLoading): void {
    clearTimeout(this.toastTimer);
    this.toast = null;
    this.loading = loading;
  }

  hideLoading(): void {
    this.loading = null;
  }

  /** Resolves when answered; answered at once when the default is not 'pending'. */
  showModal(modal: UiModal): Promise<{ confirm: boolean; content?: string }> {
    return new Promise((resolve) => {
      this.modals.push({ modal, answer: resolve });
      if (this.modalDefault !== 'pending') this.answerModal(this.modalDefault === 'confirm');
    });
  }

  answerModal(confirm: boolean, content?: string): boolean {
    const pending = this.modals.shift();
    if (!pending) return false;
    // Without a cancel button, a "cancel" can only close the dialog by confirming it.
    const confirmed = confirm || !pending.modal.showCancel;
    this.ctx.record('modalAnswered', { confirm: confirmed, title: pending.modal.title });
    pending.answer({
      confirm: confirmed,
      ...(pending.modal.editable ? { content: content ?? '' } : {}),
    });
    return true;
  }

  showActionSheet(sheet: UiActionSheet): Promise<number | null> {
    return new Promise((resolve) => {
      this.sheets.push({ sheet, answer: resolve });
      if (this.modalDefault !== 'pending')
        this.answerSheet(this.modalDefault === 'confirm' ? 0 : null);
    });
  }

  answerSheet(tapIndex: number | null): boolean {
    const pending = this.sheets[0];
    if (!pending) return false;
    if (tapIndex !== null && !(tapIndex >= 0 && tapIndex < pending.sheet.itemList.length)) {
      throw new Error(`tapIndex ${tapIndex} is outside the ${pending.sheet.itemList.length} items`);
    }
    this.sheets.shift();
    this.ctx.record('actionSheetAnswered', { tapIndex });
    pending.answer(tapIndex);
    return true;
  }
}

export function createUiApis(ctx: WxContext, screen: Screen): ApiTable {
  const on = ctx.onCallbackError;
  return {
    showToast: asyncApi(
      'showToast',
      (o) => {
        if (typeof o.title !== 'string')
          throw new WxFailure(paramError('title', 'String', o.title));
        const icon = text(o.icon, 'success');
        if (!TOAST_ICONS.includes(icon)) throw new WxFailure(`invalid icon ${icon}`);
        const toast: UiToast = {
          title: o.title,
          icon,
          duration: typeof o.duration === 'number' ? o.duration : 1500,
          mask: o.mask === true,
          ...(typeof o.image === 'string' ? { image: o.image } : {}),
        };
        ctx.record('showToast', { ...toast });
        screen.showToast(toast);
        return {};
      },
      on,
    ),
    hideToast: asyncApi(
      'hideToast',
      () => {
        ctx.record('hideToast', {});
        screen.hideToast();
        return {};
      },
      on,
    ),
    showLoading: asyncApi(
      'showLoading',
      (o) => {
        if (typeof o.title !== 'string')
          throw new WxFailure(paramError('title', 'String', o.title));
        const loading: UiLoading = { title: o.title, mask: o.mask === true };
        ctx.record('showLoading', { ...loading });
        screen.showLoading(loading);
        return {};
      },
      on,
    ),
    hideLoading: asyncApi(
      'hideLoading',
      () => {
        ctx.record('hideLoading', {});
        screen.hideLoading();
        return {};
      },
      on,
    ),
    showModal: asyncApi(
      'showModal',
      async (o) => {
        const modal: UiModal = {
          title: text(o.title),
          content: text(o.content),
          showCancel: o.showCancel !== false,
          cancelText: text(o.cancelText, '取消'),
          confirmText: text(o.confirmText, '确定'),
          editable: o.editable === true,
          placeholderText: text(o.placeholderText),
        };
        if (textWidth(modal.confirmText) > 8 || textWidth(modal.cancelText) > 8) {
          throw new WxFailure('confirmText length should not larger than 4 Chinese characters');
        }
        ctx.record('showModal', { ...modal });
        const answer = await screen.showModal(modal);
        return { ...answer, cancel: !answer.confirm };
      },
      on,
    ),
    showActionSheet: asyncApi(
      'showActionSheet',
      async (o) => {
        if (!Array.isArray(o.itemList)) {
          throw new WxFailure(paramError('itemList', 'Array', o.itemList));
        }
        if (o.itemList.length > 6)
          throw new WxFailure('parameter error: itemList should not be large than 6');
        const sheet: UiActionSheet = {
          alertText: text(o.alertText),
          itemList: o.itemList.map((i) => text(i)),
        };
        ctx.record('showActionSheet', { ...sheet });
        const tapIndex = await screen.showActionSheet(sheet);
        if (tapIndex === null) throw new WxFailure('cancel');
        return { tapIndex };
      },
      on,
    ),
  };
}
