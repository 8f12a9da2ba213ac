import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Harness, makeWx, promised, settle } from './fixtures/wx/harness';

let h: Harness;
beforeEach(() => {
  h = makeWx();
});
afterEach(() => h.close());

describe('storage', () => {
  test('sync forms keep types (Date included); a missing key reads as an empty string', () => {
    const when = new Date('2024-05-06T07:08:09.000Z');
    h.wx.setStorageSync('s', 'text');
    h.wx.setStorageSync('n', 42);
    h.wx.setStorageSync('b', false);
    h.wx.setStorageSync('o', { a: [1, { b: null }] });
    h.wx.setStorageSync('d', when);
    h.wx.setStorageSync('z', null);
    expect(h.wx.getStorageSync('s')).toBe('text');
    expect(h.wx.getStorageSync('n')).toBe(42);
    expect(h.wx.getStorageSync('b')).toBe(false);
    expect(h.wx.getStorageSync('o')).toEqual({ a: [1, { b: null }] });
    expect(h.wx.getStorageSync('d')).toEqual(when);
    expect(h.wx.getStorageSync('d')).toBeInstanceOf(Date);
    expect(h.wx.getStorageSync('z')).toBeNull();
    expect(h.wx.getStorageSync('missing')).toBe('');
    h.wx.removeStorageSync('s');
    expect(h.wx.getStorageSync('s')).toBe('');
    expect((h.wx.getStorageInfoSync() as { keys: string[] }).keys.sort()).toEqual([
      'b',
      'd',
      'n',
      'o',
      'z',
    ]);
  });

  test('async getStorage of a missing key fails with data not found (Promise and callbacks)', async () => {
    const rejected = await promised(h.wx.getStorage, { key: 'nope' });
    expect(rejected).toEqual({ ok: false, res: { errMsg: 'getStorage:fail data not found' } });
    const viaFail = await settle(h.wx.getStorage, { key: 'nope' });
    expect(viaFail.res.errMsg).toBe('getStorage:fail data not found');

    const set = await promised(h.wx.setStorage, { key: 'k', data: { v: 1 } });
    expect(set.res.errMsg).toBe('setStorage:ok');
    const got = await promised(h.wx.getStorage, { key: 'k' });
    expect(got.res).toEqual({ data: { v: 1 }, errMsg: 'getStorage:ok' });
    const info = await promised(h.wx.getStorageInfo);
    expect(info.res).toMatchObject({ keys: ['k'], limitSize: 10240, errMsg: 'getStorageInfo:ok' });
    await promised(h.wx.clearStorage);
    expect(h.wx.getStorageSync('k')).toBe('');
  });

  test('batch forms set and get several keys', async () => {
    h.wx.batchSetStorageSync([
      { key: 'a', value: 1 },
      { key: 'b', value: { c: true } },
    ]);
    expect(h.wx.batchGetStorageSync(['a', 'b', 'none'])).toEqual([1, { c: true }, '']);
    await promised(h.wx.batchSetStorage, { kvList: [{ key: 'd', value: 'x' }] });
    const got = await promised(h.wx.batchGetStorage, { keyList: ['d'] });
    expect(got.res).toEqual({ dataList: ['x'], errMsg: 'batchGetStorage:ok' });
    expect(() => h.wx.batchSetStorageSync([{ key: 'e', value: 1 }, { key: 2 }])).toThrow(
      'batchSetStorageSync:fail parameter error: parameter.key should be String instead of Number;',
    );
    expect(h.wx.getStorageSync('e')).toBe('');
  });

  test('a key must be a string: sync throws, async fails', async () => {
    expect(() => h.wx.setStorageSync(undefined, 1)).toThrow(
      'setStorageSync:fail parameter error: parameter.key should be String instead of Undefined;',
    );
    const { res } = await settle(h.wx.setStorage, { key: 3, data: 1 });
    expect(res.errMsg).toBe(
      'setStorage:fail parameter error: parameter.key should be String instead of Number;',
    );
  });

  test('1 MB per key and 10 MB in total, with nothing already stored lost', () => {
    const justUnder = 'x'.repeat(1024 * 1024 - 10);
    expect(() => h.wx.setStorageSync('big', 'x'.repeat(1024 * 1024 + 1))).toThrow(
      'setStorageSync:fail exceed storage item max length',
    );
    for (let i = 0; i < 9; i++) h.wx.setStorageSync(`k${i}`, justUnder);
    h.wx.setStorageSync('k9', 'x'.repeat(1024 * 1024 - 100));
    expect(() => h.wx.setStorageSync('overflow', 'y'.repeat(200))).toThrow(
      'setStorageSync:fail exceed storage max size 10MB',
    );
    // replacing an existing key counts only the difference
    h.wx.setStorageSync('k0', 'small');
    h.wx.setStorageSync('overflow', 'y'.repeat(200));
    expect(h.wx.getStorageSync('k9')).toHaveLength(1024 * 1024 - 100);
    expect((h.wx.getStorageInfoSync() as { currentSize: number }).currentSize).toBeLessThanOrEqual(
      10240,
    );
  });

  test('changes reach disk right after the synchronous run, one file per key', async () => {
    const dir = path.join(h.dataDir, 'storage');
    for (let i = 0; i < 50; i++) h.wx.setStorageSync('hot', i);
    h.wx.setStorageSync('gone', 1);
    h.wx.removeStorageSync('gone');
    await new Promise((resolve) => setImmediate(resolve));
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, files[0]), 'utf8'))).toEqual({
      key: 'hot',
      type: 'Number',
      data: '49',
    });
  });

  test('a process that exits right after a set still leaves it on disk', () => {
    const script = `
      require(${JSON.stringify(path.join(__dirname, '../../scripts/register-ts.js'))});
      const { createWx } = require(${JSON.stringify(path.join(__dirname, '../src/wx/index.ts'))});
      const wx = createWx({ projectPath: ${JSON.stringify(h.projectPath)}, dataDir: ${JSON.stringify(h.dataDir)},
        tempDir: ${JSON.stringify(h.tempDir)}, log() {} });
      wx.apis.setStorageSync('fromChild', { ok: true });
      process.exit(0);`;
    childProcess.execFileSync(process.execPath, ['-e', script], { stdio: 'pipe' });
    expect(h.restart().wx.getStorageSync('fromChild')).toEqual({ ok: true });
  });

  test('persists across simulator restarts with the same dataDir; clearStorage control empties it', () => {
    h.wx.setStorageSync('token', 'abc');
    h.wx.setStorageSync('when', new Date(5));
    const again = h.restart();
    expect(again.wx.getStorageSync('token')).toBe('abc');
    expect(again.wx.getStorageSync('when')).toEqual(new Date(5));
    expect(again.instance.controls.storageSnapshot()).toEqual({ token: 'abc', when: new Date(5) });
    again.instance.controls.clearStorage();
    again.close();
    expect(h.restart().wx.getStorageSync('token')).toBe('');
  });

  test('a corrupt entry is set aside; the other keys survive and the simulator starts', async () => {
    h.wx.setStorageSync('good', 1);
    h.wx.setStorageSync('bad', 2);
    await new Promise((resolve) => setImmediate(resolve)); // written right after the sync run
    const dir = path.join(h.dataDir, 'storage');
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(2);
    const badFile = files.find((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('"bad"'));
    fs.writeFileSync(path.join(dir, badFile as string), '{not json');
    const again = h.restart();
    expect(again.wx.getStorageSync('good')).toBe(1);
    expect(again.wx.getStorageSync('bad')).toBe('');
    expect(fs.readdirSync(dir).some((f) => f.includes('.corrupt-'))).toBe(true);
  });
});
