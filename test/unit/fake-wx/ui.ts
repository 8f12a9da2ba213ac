/** Fake UI feedback: records toasts, modals (answers scriptable), loading and navigation. */
import { later, settle } from './types';

export interface ModalRecord {
  title?: string;
  content?: string;
  showCancel?: boolean;
  confirmText?: string;
}

export interface UiControl {
  readonly toasts: Array<{ title: string; icon?: string; duration?: number }>;
  readonly modals: ModalRecord[];
  /** Answers for the next modals, in order; without one the modal is confirmed. */
  readonly modalAnswers: Array<'confirm' | 'cancel'>;
  /** Every showLoading / hideLoading call, in order. */
  readonly loadingEvents: Array<'show' | 'hide'>;
  readonly loadingVisible: boolean;
  readonly navigations: string[];
}

type UiApis = Pick<
  WechatMiniprogram.Wx,
  'showToast' | 'showModal' | 'showLoading' | 'hideLoading' | 'navigateTo' | 'redirectTo'
>;

export function createUiFamily(): { apis: UiApis; control: UiControl } {
  let loadingVisible = false;
  const control = {
    toasts: [] as UiControl['toasts'],
    modals: [] as ModalRecord[],
    modalAnswers: [] as Array<'confirm' | 'cancel'>,
    loadingEvents: [] as Array<'show' | 'hide'>,
    get loadingVisible() {
      return loadingVisible;
    },
    navigations: [] as string[],
  };
  const ok = (api: string) => ({ errMsg: `${api}:ok` });
  const apis = {
    showToast(option: { title: string; icon?: string; duration?: number }) {
      control.toasts.push({ title: option.title, icon: option.icon, duration: option.duration });
      return settle(option, { ok: true, value: ok('showToast') });
    },
    showModal(option: ModalRecord & object) {
      control.modals.push({
        title: option.title,
        content: option.content,
        showCancel: option.showCancel,
        confirmText: option.confirmText,
      });
      const answer = control.modalAnswers.shift() ?? 'confirm';
      const value = {
        confirm: answer === 'confirm',
        cancel: answer === 'cancel',
        errMsg: 'showModal:ok',
      };
      const hasCallback = 'success' in option || 'fail' in option || 'complete' in option;
      if (!hasCallback) return Promise.resolve(value);
      later(0, () => settle(option, { ok: true, value }));
      return undefined;
    },
    showLoading(option: object) {
      loadingVisible = true;
      control.loadingEvents.push('show');
      return settle(option, { ok: true, value: ok('showLoading') });
    },
    hideLoading(option?: object) {
      loadingVisible = false;
      control.loadingEvents.push('hide');
      return settle(option, { ok: true, value: ok('hideLoading') });
    },
    navigateTo(option: { url: string }) {
      control.navigations.push(option.url);
      return settle(option, { ok: true, value: ok('navigateTo') });
    },
    redirectTo(option: { url: string }) {
      control.navigations.push(option.url);
      return settle(option, { ok: true, value: ok('redirectTo') });
    },
  };
  return { apis: apis as unknown as UiApis, control };
}
