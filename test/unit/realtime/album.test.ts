import { ALBUM_SCOPE, isRemoteUrl, saveToAlbum } from '../../../miniprogram/utils/album';
import { AppError } from '../../../miniprogram/utils/errors';
import { setLocale } from '../../../miniprogram/utils/i18n';
import type { AlbumWx } from '../../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../fake-wx';
import { createAlbumFamily } from '../fake-wx/album';
import { createFilesFamily } from '../fake-wx/files';

const TEMP = 'http://tmp/photo.jpg';

function setup() {
  const fake = createFakeWx();
  const files = fake.extend('files', createFilesFamily(fake.context));
  const album = fake.extend('album', createAlbumFamily(files));
  files.addFile(TEMP, 100);
  const downloads: string[] = [];
  const download = async (url: string) => {
    downloads.push(url);
    files.addFile('http://tmp/downloaded.jpg', 50);
    return 'http://tmp/downloaded.jpg';
  };
  const wx = fake.wx as unknown as AlbumWx;
  return { fake, files, album, wx, download, downloads };
}

describe('saveToAlbum', () => {
  it('saves at once when the scope is already granted', async () => {
    const t = setup();
    t.album.scopes.set(ALBUM_SCOPE, true);
    await expect(saveToAlbum(TEMP, { wx: t.wx })).resolves.toEqual({
      outcome: 'saved',
      filePath: TEMP,
    });
    expect(t.album.calls).toEqual(['getSetting', 'saveImageToPhotosAlbum']);
    expect(t.album.saved).toEqual([TEMP]);
  });

  it('asks with authorize the first time; allowing saves', async () => {
    const t = setup();
    await expect(saveToAlbum(TEMP, { wx: t.wx })).resolves.toMatchObject({ outcome: 'saved' });
    expect(t.album.calls).toEqual(['getSetting', 'authorize', 'saveImageToPhotosAlbum']);
  });

  it('refusing the first popup is denied, with no modal and no second ask', async () => {
    const t = setup();
    t.album.answerAuthorize = 'deny';
    await expect(saveToAlbum(TEMP, { wx: t.wx })).resolves.toEqual({ outcome: 'denied' });
    expect(t.album.calls).toEqual(['getSetting', 'authorize']);
    expect(t.fake.ui.modals).toEqual([]);
  });

  it('denied before: explains in a modal, opens settings, saves when granted there', async () => {
    const t = setup();
    t.album.scopes.set(ALBUM_SCOPE, false);
    setLocale('en');
    try {
      await expect(saveToAlbum(TEMP, { wx: t.wx })).resolves.toMatchObject({ outcome: 'saved' });
    } finally {
      setLocale('zh-CN');
    }
    expect(t.album.calls).toEqual(['getSetting', 'openSetting', 'saveImageToPhotosAlbum']);
    expect(t.fake.ui.modals[0]).toMatchObject({
      title: 'Photo album access needed',
      confirmText: 'Open settings',
      showCancel: true,
    });
  });

  it('denied before and kept off in settings: denied', async () => {
    const t = setup();
    t.album.scopes.set(ALBUM_SCOPE, false);
    t.album.answerOpenSetting = 'keep';
    await expect(saveToAlbum(TEMP, { wx: t.wx })).resolves.toEqual({ outcome: 'denied' });
    expect(t.album.saved).toEqual([]);
    expect(t.fake.ui.modals[0].title).toBe('需要相册权限');
  });

  it('denied before and the explanation dismissed: cancelled, settings never opened', async () => {
    const t = setup();
    t.album.scopes.set(ALBUM_SCOPE, false);
    t.fake.ui.modalAnswers.push('cancel');
    await expect(saveToAlbum(TEMP, { wx: t.wx })).resolves.toEqual({ outcome: 'cancelled' });
    expect(t.album.calls).toEqual(['getSetting']);
  });

  it('the user cancelling the save sheet is cancelled', async () => {
    const t = setup();
    t.album.scopes.set(ALBUM_SCOPE, true);
    t.album.cancelSave = true;
    await expect(saveToAlbum(TEMP, { wx: t.wx })).resolves.toEqual({ outcome: 'cancelled' });
  });

  it('downloads a remote URL first, and reports download failures', async () => {
    const t = setup();
    t.album.scopes.set(ALBUM_SCOPE, true);
    await expect(
      saveToAlbum('https://api.test/files/1', { wx: t.wx, download: t.download }),
    ).resolves.toEqual({
      outcome: 'saved',
      filePath: 'http://tmp/downloaded.jpg',
    });
    expect(t.downloads).toEqual(['https://api.test/files/1']);
    const broken = () => Promise.reject(new AppError({ kind: 'http', status: 404 }));
    await expect(
      saveToAlbum('https://api.test/x', { wx: t.wx, download: broken }),
    ).resolves.toMatchObject({
      outcome: 'failed',
      error: { status: 404 },
    });
    const cancelled = () => Promise.reject(new AppError({ kind: 'cancelled' }));
    await expect(
      saveToAlbum('https://api.test/x', { wx: t.wx, download: cancelled }),
    ).resolves.toEqual({
      outcome: 'cancelled',
    });
    const raw = () => Promise.reject(new Error('disk full'));
    await expect(
      saveToAlbum('https://api.test/x', { wx: t.wx, download: raw }),
    ).resolves.toMatchObject({
      outcome: 'failed',
      error: { message: 'disk full' },
    });
    await expect(saveToAlbum('https://api.test/x', { wx: t.wx })).resolves.toMatchObject({
      outcome: 'failed',
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('fails with a typed error on bad input and wx failures', async () => {
    const t = setup();
    await expect(saveToAlbum('', { wx: t.wx })).resolves.toMatchObject({ outcome: 'failed' });
    t.album.failGetSetting = true;
    await expect(saveToAlbum(TEMP, { wx: t.wx })).resolves.toMatchObject({
      outcome: 'failed',
      error: {
        kind: 'business',
        code: 'ALBUM_SAVE_FAILED',
        message: 'getSetting:fail system error',
      },
    });
    t.album.scopes.set(ALBUM_SCOPE, true);
    await expect(saveToAlbum('http://tmp/missing.jpg', { wx: t.wx })).resolves.toMatchObject({
      outcome: 'failed',
      error: { message: 'saveImageToPhotosAlbum:fail file not exists' },
    });
    const broken: AlbumWx = {
      ...t.wx,
      authorize: (o) => o.fail?.({ errMsg: 'authorize:fail system error' }),
    };
    t.album.scopes.clear();
    await expect(saveToAlbum(TEMP, { wx: broken })).resolves.toMatchObject({ outcome: 'failed' });
    const denyOnSave: AlbumWx = {
      ...t.wx,
      getSetting: (o) => o.success?.({ authSetting: { [ALBUM_SCOPE]: true } }),
      saveImageToPhotosAlbum: (o) => o.fail?.({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' }),
    };
    await expect(saveToAlbum(TEMP, { wx: denyOnSave })).resolves.toEqual({ outcome: 'denied' });
    await expect(saveToAlbum(TEMP)).resolves.toMatchObject({
      outcome: 'failed',
      error: { message: /wx is not available/ },
    });
  });

  it('tells temp paths from remote URLs', () => {
    expect(isRemoteUrl('https://example.com/a.png')).toBe(true);
    expect(isRemoteUrl('http://tmp/abc.png')).toBe(false);
    expect(isRemoteUrl('http://usr/abc.png')).toBe(false);
    expect(isRemoteUrl('wxfile://tmp_abc.png')).toBe(false);
  });
});
