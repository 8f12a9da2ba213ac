import * as fs from 'node:fs';
import * as path from 'node:path';
import { GALLERY, type Harness, makeWx, promised, settle } from './fixtures/wx/harness';

type Fsm = Record<string, (...args: unknown[]) => unknown>;
let h: Harness;
let fsm: Fsm;

beforeEach(() => {
  h = makeWx();
  fsm = h.wx.getFileSystemManager() as Fsm;
});
afterEach(() => h.close());

describe('getFileSystemManager', () => {
  test('USER_DATA_PATH is wxfile://usr; write, read with encoding, position and length', () => {
    expect((h.wx.env as unknown as { USER_DATA_PATH: string }).USER_DATA_PATH).toBe('wxfile://usr');
    fsm.writeFileSync('wxfile://usr/a.txt', 'hello world', 'utf8');
    expect(fsm.readFileSync('wxfile://usr/a.txt', 'utf8')).toBe('hello world');
    expect(fsm.readFileSync('wxfile://usr/a.txt', 'utf8', 6, 5)).toBe('world');
    const bytes = fsm.readFileSync('wxfile://usr/a.txt', undefined, 0, 5) as ArrayBuffer;
    expect(Buffer.from(new Uint8Array(bytes)).toString()).toBe('hello');
    expect(fsm.readFileSync('wxfile://usr/a.txt', 'base64')).toBe(
      Buffer.from('hello world').toString('base64'),
    );
    expect(() => fsm.readFileSync('wxfile://usr/a.txt', 'utf8', 20)).toThrow(
      'readFileSync:fail value of position is out of range',
    );
    expect(() => fsm.readFileSync('wxfile://usr/a.txt', 'utf8', 6, 50)).toThrow(
      'readFileSync:fail value of length is out of range',
    );
    fsm.writeFileSync('wxfile://usr/b.bin', new Uint8Array([1, 2, 3]).buffer);
    expect([...new Uint8Array(fsm.readFileSync('wxfile://usr/b.bin') as ArrayBuffer)]).toEqual([
      1, 2, 3,
    ]);
  });

  test('async forms call success/fail/complete with errMsg and errno', async () => {
    const write = await settle(fsm.writeFile, { filePath: 'wxfile://usr/c.txt', data: 'c' });
    expect(write.res.errMsg).toBe('writeFile:ok');
    const read = await settle(fsm.readFile, { filePath: 'wxfile://usr/c.txt', encoding: 'utf8' });
    expect(read.res).toEqual({ data: 'c', errMsg: 'readFile:ok' });
    const missing = await settle(fsm.readFile, { filePath: 'wxfile://usr/none.txt' });
    expect(missing.res).toEqual({
      errMsg: 'readFile:fail no such file or directory, open wxfile://usr/none.txt',
      errno: 1300002,
    });
    const access = await settle(fsm.access, { path: 'wxfile://usr/none.txt' });
    expect(access.res.errMsg).toBe(
      'access:fail no such file or directory, access wxfile://usr/none.txt',
    );
  });

  test('stat, mkdir, readdir, copy, rename, unlink, rmdir', () => {
    fsm.mkdirSync('wxfile://usr/d/e', true);
    expect(() => fsm.mkdirSync('wxfile://usr/d')).toThrow(
      'mkdirSync:fail file already exists wxfile://usr/d',
    );
    fsm.writeFileSync('wxfile://usr/d/e/f.txt', '12345');
    const stats = fsm.statSync('wxfile://usr/d/e/f.txt') as { size: number; isFile(): boolean };
    expect(stats.size).toBe(5);
    expect(stats.isFile()).toBe(true);
    expect((fsm.statSync('wxfile://usr/d') as { isDirectory(): boolean }).isDirectory()).toBe(true);
    fsm.copyFileSync('wxfile://usr/d/e/f.txt', 'wxfile://usr/g.txt');
    fsm.renameSync('wxfile://usr/g.txt', 'wxfile://usr/h.txt');
    expect(fsm.readdirSync('wxfile://usr')).toEqual(['d', 'h.txt']);
    fsm.unlinkSync('wxfile://usr/h.txt');
    expect(() => fsm.rmdirSync('wxfile://usr/d')).toThrow('rmdirSync:fail directory not empty');
    fsm.rmdirSync('wxfile://usr/d', true);
    expect(fsm.readdirSync('wxfile://usr')).toEqual([]);
  });

  test('only USER_DATA_PATH is writable; paths cannot escape their folder', () => {
    fs.writeFileSync(path.join(h.projectPath, 'config.json'), '{"a":1}');
    expect(fsm.readFileSync('/config.json', 'utf8')).toBe('{"a":1}');
    expect(() => fsm.writeFileSync('/config.json', 'x')).toThrow(
      'writeFileSync:fail permission denied, open /config.json',
    );
    expect(() => fsm.writeFileSync('http://tmp/x.txt', 'x')).toThrow(/permission denied/);
    fsm.writeFileSync('wxfile://usr/../../escape.txt', 'x');
    expect(fs.existsSync(path.join(h.dataDir, 'usr', 'escape.txt'))).toBe(true);
    expect(fs.existsSync(path.join(h.root, 'escape.txt'))).toBe(false);
    expect(() => fsm.readFileSync('file:///etc/passwd', 'utf8')).toThrow(/permission denied/);
  });

  test('a real FileSystemManager method that is not emulated fails loudly by name', async () => {
    expect(() => fsm.openSync({ filePath: 'wxfile://usr/a' })).toThrow(
      'openSync:fail FileSystemManager.openSync is not emulated by the headless simulator',
    );
    const { res } = await settle(fsm.unzip, { zipFilePath: 'wxfile://usr/a.zip' });
    expect(res.errMsg).toBe(
      'unzip:fail FileSystemManager.unzip is not emulated by the headless simulator',
    );
    expect(h.logs.filter((l) => l.type === 'error')).toHaveLength(2);
    expect(fsm.notAMethod).toBeUndefined();
  });

  test('saveFile moves a temp file to a saved path; getSavedFileList / removeSavedFile', async () => {
    h.instance.controls.setNextChoose({ files: ['b-shot.png'] });
    const chosen = await promised(h.wx.chooseImage, { count: 1 });
    const temp = (chosen.res.tempFilePaths as string[])[0];
    const saved = await promised(h.wx.saveFile, { tempFilePath: temp });
    const savedPath = saved.res.savedFilePath as string;
    expect(savedPath).toMatch(/^http:\/\/store\/.+\.png$/);
    expect(() => fsm.accessSync(temp)).toThrow(/no such file/);
    const list = await promised(h.wx.getSavedFileList);
    expect(list.res.fileList).toEqual([expect.objectContaining({ filePath: savedPath, size: 94 })]);
    expect((await promised(h.wx.removeSavedFile, { filePath: savedPath })).ok).toBe(true);
    expect(((await promised(h.wx.getSavedFileList)).res.fileList as unknown[]).length).toBe(0);
  });
});

describe('media', () => {
  test('chooseMedia picks fixture files into temp paths with sizes and types', async () => {
    const { ok, res } = await promised(h.wx.chooseMedia, { count: 2, mediaType: ['image'] });
    expect(ok).toBe(true);
    expect(res.type).toBe('image');
    const files = res.tempFiles as Array<Record<string, unknown>>;
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({ fileType: 'image', width: 16, height: 12, size: 823 });
    expect(files[1]).toMatchObject({ fileType: 'image', width: 20, height: 10, size: 94 });
    expect(files[0].tempFilePath).toMatch(/^http:\/\/tmp\/wx[0-9a-f]+\.jpg$/);
    const real = h.instance.controls.resolvePath(files[0].tempFilePath as string);
    expect(fs.readFileSync(real).equals(fs.readFileSync(path.join(GALLERY, 'a-photo.jpg')))).toBe(
      true,
    );
    const mixed = await promised(h.wx.chooseMedia, { count: 9 });
    expect(mixed.res.type).toBe('mix');
  });

  test('a scripted cancel fails with chooseMedia:fail cancel, once', async () => {
    h.instance.controls.setNextChoose({ cancel: true });
    expect((await promised(h.wx.chooseMedia, {})).res.errMsg).toBe('chooseMedia:fail cancel');
    expect((await promised(h.wx.chooseMedia, {})).ok).toBe(true);
    h.instance.controls.setNextChoose({ cancel: true });
    expect((await settle(h.wx.chooseImage, {})).res.errMsg).toBe('chooseImage:fail cancel');
    h.instance.controls.setNextChoose({ files: ['nope.png'] });
    expect((await promised(h.wx.chooseImage, {})).res.errMsg).toBe(
      'chooseImage:fail fixture file not found: nope.png',
    );
  });

  test('camera-only sources need scope.camera', async () => {
    h.instance.controls.setScope('scope.camera', 'denied');
    const denied = await promised(h.wx.chooseMedia, { sourceType: ['camera'] });
    expect(denied.res.errMsg).toBe('chooseMedia:fail auth deny');
    expect((await promised(h.wx.chooseImage, { sourceType: ['album', 'camera'] })).ok).toBe(true);
    h.instance.controls.setScope('scope.camera', 'granted');
    expect((await promised(h.wx.chooseImage, { sourceType: ['camera'] })).ok).toBe(true);
  });

  test('getImageInfo, compressImage (a new temp path) and previewImage (recorded)', async () => {
    h.instance.controls.setNextChoose({ files: ['a-photo.jpg'] });
    const chosen = await promised(h.wx.chooseImage, {});
    const src = (chosen.res.tempFilePaths as string[])[0];
    const info = await promised(h.wx.getImageInfo, { src });
    expect(info.res).toMatchObject({
      width: 16,
      height: 12,
      type: 'jpeg',
      path: src,
      errMsg: 'getImageInfo:ok',
    });
    const compressed = await promised(h.wx.compressImage, { src, quality: 50 });
    expect(compressed.res.tempFilePath).not.toBe(src);
    expect(
      (await promised(h.wx.getImageInfo, { src: compressed.res.tempFilePath })).res.width,
    ).toBe(16);
    await promised(h.wx.previewImage, { urls: [src], current: src });
    expect(h.instance.controls.history('previewImage')).toEqual([
      expect.objectContaining({ params: { urls: [src], current: src } }),
    ]);
  });
});

describe('permissions and the photo album', () => {
  async function aTempImage(): Promise<string> {
    h.instance.controls.setNextChoose({ files: ['b-shot.png'] });
    return ((await promised(h.wx.chooseImage, {})).res.tempFilePaths as string[])[0];
  }

  test('a granted scope saves into the album; a denied one fails with auth deny', async () => {
    const filePath = await aTempImage();
    h.instance.controls.setScope('scope.writePhotosAlbum', 'denied');
    const denied = await promised(h.wx.saveImageToPhotosAlbum, { filePath });
    expect(denied.res.errMsg).toBe('saveImageToPhotosAlbum:fail auth deny');
    expect(h.instance.controls.albumFiles()).toEqual([]);
    expect((await promised(h.wx.getSetting)).res.authSetting).toEqual({
      'scope.writePhotosAlbum': false,
    });

    h.instance.controls.scriptOpenSetting({ 'scope.writePhotosAlbum': true });
    const opened = await promised(h.wx.openSetting);
    expect(opened.res.authSetting).toEqual({ 'scope.writePhotosAlbum': true });
    const saved = await promised(h.wx.saveImageToPhotosAlbum, { filePath });
    expect(saved.res.errMsg).toBe('saveImageToPhotosAlbum:ok');
    const album = h.instance.controls.albumFiles();
    expect(album).toHaveLength(1);
    expect(
      fs.readFileSync(album[0]).equals(fs.readFileSync(path.join(GALLERY, 'b-shot.png'))),
    ).toBe(true);
    h.instance.controls.clearAlbum();
    expect(h.instance.controls.albumFiles()).toEqual([]);
  });

  test('a never-asked scope shows the popup: pending until authorizeAllow / authorizeCancel', async () => {
    h.instance.controls.setAuthorizeDefault('pending');
    const first = promised(h.wx.authorize, { scope: 'scope.writePhotosAlbum' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.instance.controls.native('authorizeCancel')).toBe(true);
    expect((await first).res.errMsg).toBe('authorize:fail auth deny');
    expect(h.instance.controls.getScopes()).toEqual({ 'scope.writePhotosAlbum': 'denied' });

    h.instance.controls.setScope('scope.writePhotosAlbum', 'unasked');
    const filePath = await aTempImage();
    const save = promised(h.wx.saveImageToPhotosAlbum, { filePath });
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.instance.controls.authorizeAllow()).toBe(true);
    expect((await save).res.errMsg).toBe('saveImageToPhotosAlbum:ok');
    expect(h.instance.controls.authorizeAllow()).toBe(false);
  });

  test('by default a never-asked scope is allowed; unknown scopes are refused', async () => {
    expect((await promised(h.wx.authorize, { scope: 'scope.camera' })).res.errMsg).toBe(
      'authorize:ok',
    );
    expect((await promised(h.wx.getSetting)).res.authSetting).toEqual({ 'scope.camera': true });
    expect((await promised(h.wx.authorize, { scope: 'scope.nope' })).res.errMsg).toBe(
      'authorize:fail invalid scope',
    );
    const strict = h.restart({ authorizeDefault: 'cancel' });
    expect((await promised(strict.wx.authorize, { scope: 'scope.record' })).res.errMsg).toBe(
      'authorize:fail auth deny',
    );
    strict.instance.dispose();
  });
});
