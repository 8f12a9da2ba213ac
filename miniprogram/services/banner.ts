/** What the offline banner shows for a connectivity + outbox state (pure; the component renders it). */
import { t } from '../utils/i18n';

export interface BannerInput {
  online: boolean;
  weak: boolean;
  /** Actions waiting in the outbox. */
  pending: number;
  /** Set for a few seconds after the outbox flushed: how many actions went out. */
  flushed?: number;
}

export type BannerMode = 'hidden' | 'offline' | 'weak' | 'flushed';

export interface BannerView {
  visible: boolean;
  mode: BannerMode;
  text: string;
  theme: 'info' | 'success' | 'warning' | 'error';
}

export function bannerView(input: BannerInput): BannerView {
  if (!input.online) {
    const text =
      input.pending > 0 ? t('banner.offlineQueued', { count: input.pending }) : t('banner.offline');
    return { visible: true, mode: 'offline', text, theme: 'warning' };
  }
  if (input.flushed !== undefined && input.flushed > 0) {
    return {
      visible: true,
      mode: 'flushed',
      text: t('banner.flushed', { count: input.flushed }),
      theme: 'success',
    };
  }
  if (input.weak) return { visible: true, mode: 'weak', text: t('banner.weak'), theme: 'info' };
  return { visible: false, mode: 'hidden', text: '', theme: 'info' };
}
