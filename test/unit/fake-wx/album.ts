/**
 * Fake permission and album APIs: `getSetting`, `authorize`, `openSetting` and
 * `saveImageToPhotosAlbum`, with the real rules: a scope asked once and denied is never asked
 * again by `authorize` (it fails at once); only `openSetting` can grant it afterwards.
 *
 *   const album = fake.extend('album', createAlbumFamily(files));
 *   album.answerAuthorize = 'deny';  album.answerOpenSetting = 'grant';
 */
import type { FilesControl } from './files';
import { later, type WxApis, type WxFail } from './types';

export interface AlbumControl {
  /** scope → granted; absent: never asked. */
  readonly scopes: Map<string, boolean>;
  /** What the user taps on the authorize popup. */
  answerAuthorize: 'allow' | 'deny';
  /** What the user does in the settings page. */
  answerOpenSetting: 'grant' | 'keep';
  /** The user cancels the system save sheet. */
  cancelSave: boolean;
  /** The next getSetting fails. */
  failGetSetting: boolean;
  readonly saved: string[];
  readonly calls: string[];
}

type Callbacks<S> = { success?: (r: S) => void; fail?: (r: WxFail) => void };
const ALBUM = 'scope.writePhotosAlbum';

export function createAlbumFamily(files: FilesControl): { apis: WxApis; control: AlbumControl } {
  const control: AlbumControl = {
    scopes: new Map(),
    answerAuthorize: 'allow',
    answerOpenSetting: 'grant',
    cancelSave: false,
    failGetSetting: false,
    saved: [],
    calls: [],
  };
  const authSetting = () => Object.fromEntries(control.scopes);
  const apis = {
    getSetting(option: Callbacks<{ authSetting: Record<string, boolean> }>) {
      control.calls.push('getSetting');
      later(0, () => {
        if (control.failGetSetting) {
          control.failGetSetting = false;
          return option.fail?.({ errMsg: 'getSetting:fail system error' });
        }
        option.success?.({ authSetting: authSetting() });
      });
    },
    authorize(option: { scope: string } & Callbacks<unknown>) {
      control.calls.push('authorize');
      later(0, () => {
        const current = control.scopes.get(option.scope);
        if (current === true) return option.success?.({ errMsg: 'authorize:ok' });
        if (current === false) return option.fail?.({ errMsg: 'authorize:fail auth deny' });
        const allowed = control.answerAuthorize === 'allow';
        control.scopes.set(option.scope, allowed);
        if (allowed) option.success?.({ errMsg: 'authorize:ok' });
        else option.fail?.({ errMsg: 'authorize:fail auth deny' });
      });
    },
    openSetting(option: Callbacks<{ authSetting: Record<string, boolean> }>) {
      control.calls.push('openSetting');
      later(0, () => {
        if (control.answerOpenSetting === 'grant') control.scopes.set(ALBUM, true);
        option.success?.({ authSetting: authSetting() });
      });
    },
    saveImageToPhotosAlbum(option: { filePath: string } & Callbacks<unknown>) {
      control.calls.push('saveImageToPhotosAlbum');
      later(0, () => {
        if (control.scopes.get(ALBUM) !== true) {
          return option.fail?.({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' });
        }
        if (!files.files.has(option.filePath)) {
          return option.fail?.({ errMsg: 'saveImageToPhotosAlbum:fail file not exists' });
        }
        if (control.cancelSave)
          return option.fail?.({ errMsg: 'saveImageToPhotosAlbum:fail cancel' });
        control.saved.push(option.filePath);
        option.success?.({ errMsg: 'saveImageToPhotosAlbum:ok' });
      });
    },
  };
  return { apis: apis as unknown as WxApis, control };
}
