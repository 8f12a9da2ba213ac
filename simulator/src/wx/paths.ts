import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WxFailure } from './callback';

/** `wx.env.USER_DATA_PATH`, as on a phone. */
export const USER_DATA_PATH = 'wxfile://usr';
/** Temp files are named like DevTools names them. `wxfile://tmp_<name>` is accepted too. */
export const TEMP_PREFIX = 'http://tmp/';
const STORE_PREFIX = 'http://store/';

export type PathKind = 'temp' | 'usr' | 'store' | 'package';

export interface ResolvedPath {
  kind: PathKind;
  real: string;
  /** The wx path as the app wrote it. */
  wxPath: string;
}

/** Maps the app's file paths onto real folders, refusing anything that escapes them. */
export class WxPaths {
  readonly usrDir: string;
  readonly storeDir: string;
  readonly albumDir: string;

  constructor(
    readonly projectPath: string,
    readonly dataDir: string,
    readonly tempDir: string,
  ) {
    this.usrDir = path.join(dataDir, 'usr');
    this.storeDir = path.join(dataDir, 'store');
    this.albumDir = path.join(dataDir, 'album');
    for (const dir of [tempDir, this.usrDir, this.storeDir, this.albumDir]) {
      fs.mkdirSync(dir, { recursive: true });
    }
  }

  resolve(wxPath: unknown): ResolvedPath {
    if (typeof wxPath !== 'string' || wxPath === '') {
      throw new WxFailure(`invalid path ${String(wxPath)}`);
    }
    const pick = (kind: PathKind, root: string, rest: string): ResolvedPath => {
      const real = path.resolve(root, '.' + path.posix.normalize('/' + rest));
      if (real !== root && !real.startsWith(root + path.sep)) {
        throw new WxFailure(`permission denied, open ${wxPath}`);
      }
      return { kind, real, wxPath };
    };
    for (const [prefix, kind, root] of [
      [TEMP_PREFIX, 'temp', this.tempDir],
      ['wxfile://tmp_', 'temp', this.tempDir],
      ['http://usr', 'usr', this.usrDir],
      [USER_DATA_PATH, 'usr', this.usrDir],
      [STORE_PREFIX, 'store', this.storeDir],
      ['wxfile://store_', 'store', this.storeDir],
    ] as const) {
      if (wxPath.startsWith(prefix)) {
        const rest = wxPath.slice(prefix.length);
        // `wxfile://usrx` is not the usr dir: the prefix must end at a separator.
        if (kind === 'usr' && rest !== '' && !rest.startsWith('/')) break;
        return pick(kind, root, rest);
      }
    }
    if (/^[a-z]+:\/\//i.test(wxPath)) throw new WxFailure(`permission denied, open ${wxPath}`);
    return pick('package', this.projectPath, wxPath);
  }

  albumFiles(): string[] {
    return fs
      .readdirSync(this.albumDir)
      .sort()
      .map((name) => path.join(this.albumDir, name));
  }

  clearAlbum(): void {
    for (const name of fs.readdirSync(this.albumDir)) {
      fs.rmSync(path.join(this.albumDir, name), { recursive: true });
    }
  }

  /** A new temp file path (not created). */
  newTemp(ext: string): { wxPath: string; real: string } {
    const name = `wx${crypto.randomBytes(8).toString('hex')}${ext ? '.' + ext.replace(/^\./, '') : ''}`;
    return { wxPath: TEMP_PREFIX + name, real: path.join(this.tempDir, name) };
  }

  newStored(ext: string): { wxPath: string; real: string } {
    const name = `${Date.now()}${crypto.randomBytes(4).toString('hex')}${ext}`;
    return { wxPath: STORE_PREFIX + name, real: path.join(this.storeDir, name) };
  }
}
