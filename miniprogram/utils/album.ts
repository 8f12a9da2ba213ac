/**
 * `saveToAlbum(url | tempPath)`: downloads a remote image first, then saves it with WeChat's full
 * permission flow for `scope.writePhotosAlbum`:
 *   getSetting → never asked: authorize (the system popup)
 *              → denied before: a modal explaining why → openSetting → save if now granted
 * and resolves with one typed outcome: saved · denied · cancelled · failed (with the error).
 * No retry loop: every path asks the user at most once per call.
 */
import { AppError, isAppError } from './errors';
import { addMessages, t } from './i18n';
import type { AlbumWx, AuthSetting } from './wx-ports';
import { callWx, globalWx } from './wx-ports';

export const ALBUM_SCOPE = 'scope.writePhotosAlbum';

export type SaveToAlbumResult =
  | { outcome: 'saved'; filePath: string }
  | { outcome: 'denied' }
  | { outcome: 'cancelled' }
  | { outcome: 'failed'; error: AppError };

export interface SaveToAlbumOptions {
  wx?: AlbumWx;
  /** Downloads a remote URL to a temp path (e.g. `url => downloadFile(url, {scheduler}).then(r => r.tempFilePath)`). */
  download?: (url: string) => Promise<string>;
}

addMessages({
  'zh-CN': {
    'album.permission.title': '需要相册权限',
    'album.permission.content': '保存图片需要访问你的相册，请在设置中打开“保存到相册”。',
    'album.permission.confirm': '去设置',
    'album.permission.cancel': '取消',
  },
  en: {
    'album.permission.title': 'Photo album access needed',
    'album.permission.content':
      'Saving the image needs access to your photo album. Turn on "Save to album" in the settings.',
    'album.permission.confirm': 'Open settings',
    'album.permission.cancel': 'Cancel',
  },
});

/** Temp and user files are local; http(s) URLs other than WeChat's temp hosts are remote. */
export function isRemoteUrl(source: string): boolean {
  return /^https?:\/\//i.test(source) && !/^https?:\/\/(tmp|usr|store)\//i.test(source);
}

export async function saveToAlbum(
  source: string,
  options: SaveToAlbumOptions = {},
): Promise<SaveToAlbumResult> {
  if (typeof source !== 'string' || source === '') {
    return failed(
      new AppError({ kind: 'business', code: 'VALIDATION_FAILED', message: 'no image to save' }),
    );
  }
  let api: AlbumWx;
  try {
    api = options.wx ?? globalWx<AlbumWx>();
  } catch (error) {
    return failed(error);
  }

  let filePath = source;
  if (isRemoteUrl(source)) {
    if (!options.download) {
      return failed(
        new AppError({
          kind: 'business',
          code: 'VALIDATION_FAILED',
          message: 'a downloader is needed for URLs',
        }),
      );
    }
    try {
      filePath = await options.download(source);
    } catch (error) {
      if (isAppError(error) && error.kind === 'cancelled') return { outcome: 'cancelled' };
      return failed(error);
    }
  }

  try {
    const { authSetting } = await callWx<AuthSetting>((callbacks) => api.getSetting(callbacks));
    const granted = authSetting[ALBUM_SCOPE];
    if (granted === undefined) {
      // Never asked: the system popup. Refusing it is a denial, final for this call.
      const allowed = await callWx((callbacks) =>
        api.authorize({ scope: ALBUM_SCOPE, ...callbacks }),
      ).then(
        () => true,
        (error: unknown) => {
          if (isDenial(error)) return false;
          throw error;
        },
      );
      if (!allowed) return { outcome: 'denied' };
    } else if (granted === false) {
      // Denied before: WeChat will not ask again; only the settings page can grant it.
      const modal = await callWx<{ confirm: boolean; cancel: boolean }>((callbacks) =>
        api.showModal({
          title: t('album.permission.title'),
          content: t('album.permission.content'),
          confirmText: t('album.permission.confirm'),
          cancelText: t('album.permission.cancel'),
          showCancel: true,
          ...callbacks,
        }),
      );
      if (!modal.confirm) return { outcome: 'cancelled' };
      const after = await callWx<AuthSetting>((callbacks) => api.openSetting(callbacks));
      if (after.authSetting[ALBUM_SCOPE] !== true) return { outcome: 'denied' };
    }
    await callWx((callbacks) => api.saveImageToPhotosAlbum({ filePath, ...callbacks }));
    return { outcome: 'saved', filePath };
  } catch (error) {
    if (isCancel(error)) return { outcome: 'cancelled' };
    if (isDenial(error)) return { outcome: 'denied' };
    return failed(error);
  }
}

function errMsgOf(error: unknown): string {
  return String((error as { errMsg?: unknown } | undefined)?.errMsg ?? '');
}

function isDenial(error: unknown): boolean {
  return /auth den|auth deny|authorize no response|permission/i.test(errMsgOf(error));
}

function isCancel(error: unknown): boolean {
  return /fail cancel/i.test(errMsgOf(error));
}

function failed(error: unknown): SaveToAlbumResult {
  const appError = isAppError(error)
    ? error
    : new AppError({
        kind: 'business',
        code: 'ALBUM_SAVE_FAILED',
        message: errMsgOf(error) || (error instanceof Error ? error.message : String(error)),
        cause: error,
      });
  return { outcome: 'failed', error: appError };
}
