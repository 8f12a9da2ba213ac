import { SafeStorage, storedSize } from '../../../miniprogram/utils/storage';
import type { StorageSyncWx } from '../../../miniprogram/utils/http-ports';
import { createFakeWx } from '../fake-wx';

const throwingWx = (message: string): StorageSyncWx => ({
  getStorageSync: () => {
    throw new Error(message);
  },
  setStorageSync: () => {
    throw new Error(message);
  },
  removeStorageSync: () => {
    throw new Error(message);
  },
  getStorageInfoSync: () => {
    throw new Error(message);
  },
});

describe('SafeStorage', () => {
  it('reads, writes and removes values; missing keys read as undefined', () => {
    const fake = createFakeWx();
    const storage = new SafeStorage(fake.wx);
    expect(storage.read('k')).toBeUndefined();
    expect(storage.write('k', { a: '中' })).toBeUndefined(); // no failure
    expect(storedSize('k', { a: '中' })).toBe(1 + 11);
    expect(storage.read('k')).toEqual({ a: '中' });
    expect(storage.keys()).toEqual(['k']);
    storage.remove('k');
    expect(storage.read('k')).toBeUndefined();
    expect(storage.keys()).toEqual([]);
  });

  it('refuses values over 1 MB before calling wx, and reports the 10 MB quota error', () => {
    const fake = createFakeWx();
    const storage = new SafeStorage(fake.wx);
    expect(storage.write('big', 'x'.repeat(1024 * 1024))).toMatchObject({
      reason: 'too-large',
    });
    fake.storage.failNextWrites(1);
    expect(storage.write('k', 1)).toEqual({
      reason: 'quota',
      message: 'setStorageSync:fail exceed storage max size 10MB',
    });
    expect(storage.write('k', () => 1)).toMatchObject({ reason: 'error' });
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(storage.write('k', cyclic)).toMatchObject({ reason: 'error' });
  });

  it('never throws when wx storage itself fails', () => {
    const storage = new SafeStorage(throwingWx('storage broken'));
    expect(storage.read('k')).toBeUndefined();
    expect(storage.write('k', 1)).toEqual({
      reason: 'error',
      message: 'storage broken',
    });
    expect(() => storage.remove('k')).not.toThrow();
    expect(storage.keys()).toEqual([]);
    const odd = new SafeStorage({
      ...throwingWx('x'),
      setStorageSync: () => {
        throw 'plain';
      },
    });
    expect(odd.write('k', 1)).toMatchObject({ reason: 'error', message: 'plain' });
    const noWx = new SafeStorage(); // no global wx here: every call fails, none throws
    expect(noWx.read('k')).toBeUndefined();
    expect(noWx.write('k', 1)).toMatchObject({ reason: 'error' });
  });

  it('counts UTF-8 bytes like wx', () => {
    // Key bytes + the JSON of 0 (1 byte).
    expect(storedSize('a', 0)).toBe(1 + 1);
    expect(storedSize('é', 0)).toBe(2 + 1);
    expect(storedSize('中', 0)).toBe(3 + 1);
    expect(storedSize('😀', 0)).toBe(4 + 1);
    expect(storedSize('k', 'v')).toBe(1 + 3);
    expect(storedSize('k', undefined)).toBeUndefined();
  });
});
