import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { netErrorReason } from '../src/wx/network/state';
import { WxPaths } from '../src/wx/paths';

describe('netErrorReason', () => {
  test.each([
    ['ECONNREFUSED', 'net::ERR_CONNECTION_REFUSED'],
    ['ECONNRESET', 'net::ERR_CONNECTION_RESET'],
    ['ENOTFOUND', 'net::ERR_NAME_NOT_RESOLVED'],
    ['ETIMEDOUT', 'net::ERR_CONNECTION_TIMED_OUT'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'net::ERR_CERT_AUTHORITY_INVALID'],
    ['CERT_HAS_EXPIRED', 'net::ERR_CERT_DATE_INVALID'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'net::ERR_CERT_COMMON_NAME_INVALID'],
  ])('%s -> %s', (code, reason) => {
    expect(netErrorReason(Object.assign(new Error('x'), { code }))).toBe(reason);
  });

  test('an unknown error keeps its message', () => {
    expect(netErrorReason(new Error('weird'))).toBe('weird');
  });
});

describe('WxPaths', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wx-paths-'));
  const paths = new WxPaths(
    path.join(root, 'dist'),
    path.join(root, 'data'),
    path.join(root, 'tmp'),
  );
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('maps every accepted prefix to its folder', () => {
    expect(paths.resolve('http://tmp/a.png')).toMatchObject({
      kind: 'temp',
      real: path.join(root, 'tmp', 'a.png'),
    });
    expect(paths.resolve('wxfile://tmp_a.png')).toMatchObject({
      kind: 'temp',
      real: path.join(root, 'tmp', 'a.png'),
    });
    expect(paths.resolve('wxfile://usr/x/y.txt').real).toBe(
      path.join(root, 'data', 'usr', 'x', 'y.txt'),
    );
    expect(paths.resolve('http://usr/y.txt').kind).toBe('usr');
    expect(paths.resolve('wxfile://usr').real).toBe(path.join(root, 'data', 'usr'));
    expect(paths.resolve('http://store/s.png').kind).toBe('store');
    expect(paths.resolve('images/a.png')).toMatchObject({
      kind: 'package',
      real: path.join(root, 'dist', 'images', 'a.png'),
    });
  });

  test('refuses other schemes and look-alike prefixes; never escapes a folder', () => {
    expect(() => paths.resolve('https://example.com/a.png')).toThrow(/permission denied/);
    expect(() => paths.resolve('wxfile://usrx/a')).toThrow(/permission denied/);
    expect(() => paths.resolve('')).toThrow(/invalid path/);
    expect(paths.resolve('/../../etc/passwd').real).toBe(path.join(root, 'dist', 'etc', 'passwd'));
    expect(paths.resolve('http://tmp/../../x').real).toBe(path.join(root, 'tmp', 'x'));
  });

  test('new temp names are unique and keep the extension', () => {
    const a = paths.newTemp('.png');
    const b = paths.newTemp('png');
    expect(a.wxPath).toMatch(/^http:\/\/tmp\/wx[0-9a-f]{16}\.png$/);
    expect(b.wxPath).not.toBe(a.wxPath);
    expect(b.wxPath.endsWith('.png')).toBe(true);
  });
});
