import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asyncApi, deliver, failResult, okResult, optionsOf, WxFailure } from './callback';
import type { ApiTable, WxContext } from './context';
import { paramError } from './context';
import { bytesOf, isArrayBufferLike, toArrayBuffer } from './network/body';
import type { ResolvedPath, WxPaths } from './paths';
import type { WxFunction } from './types';
import { notEmulated } from './unknown';

type Options = Record<string, unknown>;

/** Every method of WeChat's FileSystemManager (miniprogram-api-typings 5.x). */
const FILE_SYSTEM_MANAGER_METHODS = new Set(
  (
    'access accessSync appendFile appendFileSync close closeSync copyFile copyFileSync fstat ' +
    'fstatSync ftruncate ftruncateSync getFileInfo getSavedFileList mkdir mkdirSync open openSync ' +
    'read readCompressedFile readCompressedFileSync readFile readFileSync readSync readZipEntry ' +
    'readdir readdirSync removeSavedFile rename renameSync rmdir rmdirSync saveFile saveFileSync ' +
    'stat statSync truncate truncateSync unlink unlinkSync unzip write writeFile writeFileSync writeSync'
  ).split(' '),
);
const ENCODINGS = new Set([
  'ascii',
  'base64',
  'binary',
  'hex',
  'latin1',
  'ucs2',
  'ucs-2',
  'utf16le',
  'utf-16le',
  'utf8',
  'utf-8',
]);

/** WeChat's FileError wording and errno for a Node error. */
function fileFailure(error: unknown, wxPath: string, verb = 'open'): WxFailure {
  if (error instanceof WxFailure) return error;
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return new WxFailure(`no such file or directory, ${verb} ${wxPath}`, { errno: 1300002 });
    case 'EEXIST':
      return new WxFailure(`file already exists ${wxPath}`, { errno: 1301005 });
    case 'ENOTDIR':
      return new WxFailure('not a directory', { errno: 1300020 });
    case 'EISDIR':
      return new WxFailure('illegal operation on a directory', { errno: 1301003 });
    case 'ENOTEMPTY':
      return new WxFailure('directory not empty', { errno: 1300066 });
    case 'EACCES':
    case 'EPERM':
      return new WxFailure('permission denied', { errno: 1300013 });
    default:
      return new WxFailure(error instanceof Error ? error.message : String(error), {
        errno: 1300201,
      });
  }
}

function encodingOf(value: unknown): BufferEncoding | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !ENCODINGS.has(value.toLowerCase())) {
    throw new WxFailure(`invalid encoding: ${String(value)}`);
  }
  return value.toLowerCase().replace('-', '') as BufferEncoding;
}

/** Stats as WeChat returns them: times in seconds, isFile()/isDirectory() methods. */
function statsOf(stat: fs.Stats) {
  const isDir = stat.isDirectory();
  return {
    mode: stat.mode,
    size: stat.size,
    lastAccessedTime: Math.floor(stat.atimeMs / 1000),
    lastModifiedTime: Math.floor(stat.mtimeMs / 1000),
    isDirectory: () => isDir,
    isFile: () => !isDir,
  };
}

interface FsOp {
  /** Positional parameter names of the Sync form. */
  params: string[];
  run(o: Options): object;
  /** What the Sync form returns, from the success payload. */
  syncValue?(payload: Record<string, unknown>): unknown;
}

export function createFileSystem(ctx: WxContext, paths: WxPaths) {
  const AppArrayBuffer = ctx.host.realm?.ArrayBuffer;
  const ErrorCtor = ctx.host.realm?.Error ?? Error;

  const readable = (value: unknown, field: string): ResolvedPath => {
    if (typeof value !== 'string') throw new WxFailure(paramError(field, 'String', value));
    return paths.resolve(value);
  };
  /** Only `wxfile://usr` is writable by app code, as on a phone. */
  const writable = (value: unknown, field: string): ResolvedPath => {
    const resolved = readable(value, field);
    if (resolved.kind !== 'usr') {
      throw new WxFailure(`permission denied, open ${resolved.wxPath}`, { errno: 1301000 });
    }
    return resolved;
  };
  const attempt = <T>(fn: () => T, wxPath: string, verb?: string): T => {
    try {
      return fn();
    } catch (error) {
      throw fileFailure(error, wxPath, verb);
    }
  };
  const dataBytes = (data: unknown, encoding: unknown): Buffer => {
    if (typeof data === 'string') return Buffer.from(data, encodingOf(encoding) ?? 'utf8');
    if (isArrayBufferLike(data)) return bytesOf(data);
    throw new WxFailure(paramError('data', 'String or ArrayBuffer', data));
  };

  const savedFiles = (): Array<{ filePath: string; size: number; createTime: number }> =>
    fs
      .readdirSync(paths.storeDir)
      .sort()
      .map((name) => {
        const stat = fs.statSync(path.join(paths.storeDir, name));
        return {
          filePath: `http://store/${name}`,
          size: stat.size,
          createTime: Math.floor(stat.birthtimeMs / 1000),
        };
      });

  const saveFile = (o: Options) => {
    const source = readable(o.tempFilePath, 'tempFilePath');
    if (source.kind !== 'temp') throw new WxFailure(`permission denied, open ${source.wxPath}`);
    const target =
      o.filePath === undefined
        ? paths.newStored(path.extname(source.real))
        : writable(o.filePath, 'filePath');
    attempt(() => fs.renameSync(source.real, target.real), source.wxPath);
    return { savedFilePath: target.wxPath };
  };

  const ops: Record<string, FsOp> = {
    access: {
      params: ['path'],
      run(o) {
        const p = readable(o.path, 'path');
        attempt(() => fs.accessSync(p.real), p.wxPath, 'access');
        return {};
      },
    },
    readFile: {
      params: ['filePath', 'encoding', 'position', 'length'],
      run(o) {
        const p = readable(o.filePath, 'filePath');
        const encoding = encodingOf(o.encoding);
        const all = attempt(() => fs.readFileSync(p.real), p.wxPath);
        const position = o.position === undefined ? 0 : Number(o.position);
        if (!Number.isInteger(position) || position < 0 || position > all.length) {
          throw new WxFailure('value of position is out of range', { errno: 1301009 });
        }
        const length = o.length === undefined ? all.length - position : Number(o.length);
        if (!Number.isInteger(length) || length < 0 || position + length > all.length) {
          throw new WxFailure('value of length is out of range', { errno: 1301006 });
        }
        const bytes = all.subarray(position, position + length);
        return { data: encoding ? bytes.toString(encoding) : toArrayBuffer(bytes, AppArrayBuffer) };
      },
      syncValue: (payload) => payload.data,
    },
    writeFile: {
      params: ['filePath', 'data', 'encoding'],
      run(o) {
        const p = writable(o.filePath, 'filePath');
        const bytes = dataBytes(o.data, o.encoding);
        attempt(() => fs.writeFileSync(p.real, bytes), p.wxPath);
        return {};
      },
    },
    appendFile: {
      params: ['filePath', 'data', 'encoding'],
      run(o) {
        const p = writable(o.filePath, 'filePath');
        const bytes = dataBytes(o.data, o.encoding);
        attempt(() => {
          fs.accessSync(p.real); // appendFile needs an existing file in WeChat
          fs.appendFileSync(p.real, bytes);
        }, p.wxPath);
        return {};
      },
    },
    stat: {
      params: ['path', 'recursive'],
      run(o) {
        const p = readable(o.path, 'path');
        const stat = attempt(() => fs.statSync(p.real), p.wxPath, 'stat');
        if (o.recursive === true && stat.isDirectory()) {
          const stats: Record<string, unknown> = { '/': statsOf(stat) };
          const walk = (dir: string, rel: string) => {
            for (const name of fs.readdirSync(dir).sort()) {
              const full = path.join(dir, name);
              const s = fs.statSync(full);
              stats[`${rel}/${name}`] = statsOf(s);
              if (s.isDirectory()) walk(full, `${rel}/${name}`);
            }
          };
          walk(p.real, '');
          return { stats };
        }
        return { stats: statsOf(stat) };
      },
      syncValue: (payload) => payload.stats,
    },
    unlink: {
      params: ['filePath'],
      run(o) {
        const p = writable(o.filePath, 'filePath');
        attempt(() => {
          if (fs.statSync(p.real).isDirectory())
            throw Object.assign(new Error(), { code: 'EISDIR' });
          fs.unlinkSync(p.real);
        }, p.wxPath);
        return {};
      },
    },
    mkdir: {
      params: ['dirPath', 'recursive'],
      run(o) {
        const p = writable(o.dirPath, 'dirPath');
        attempt(
          () => {
            if (o.recursive !== true && fs.existsSync(p.real)) {
              throw Object.assign(new Error(), { code: 'EEXIST' });
            }
            fs.mkdirSync(p.real, { recursive: o.recursive === true });
          },
          p.wxPath,
          'mkdir',
        );
        return {};
      },
    },
    rmdir: {
      params: ['dirPath', 'recursive'],
      run(o) {
        const p = writable(o.dirPath, 'dirPath');
        if (p.real === paths.usrDir) throw new WxFailure('permission denied', { errno: 1300013 });
        attempt(
          () =>
            o.recursive === true
              ? (fs.statSync(p.real), fs.rmSync(p.real, { recursive: true }))
              : fs.rmdirSync(p.real),
          p.wxPath,
          'rmdir',
        );
        return {};
      },
    },
    readdir: {
      params: ['dirPath'],
      run(o) {
        const p = readable(o.dirPath, 'dirPath');
        return { files: attempt(() => fs.readdirSync(p.real).sort(), p.wxPath, 'scandir') };
      },
      syncValue: (payload) => payload.files,
    },
    copyFile: {
      params: ['srcPath', 'destPath'],
      run(o) {
        const src = readable(o.srcPath, 'srcPath');
        const dest = writable(o.destPath, 'destPath');
        attempt(() => fs.copyFileSync(src.real, dest.real), src.wxPath, 'copyfile');
        return {};
      },
    },
    rename: {
      params: ['oldPath', 'newPath'],
      run(o) {
        const from = readable(o.oldPath, 'oldPath');
        if (from.kind === 'package') throw new WxFailure(`permission denied, open ${from.wxPath}`);
        const to = writable(o.newPath, 'newPath');
        attempt(() => fs.renameSync(from.real, to.real), from.wxPath, 'rename');
        return {};
      },
    },
    saveFile: {
      params: ['tempFilePath', 'filePath'],
      run: saveFile,
      syncValue: (payload) => payload.savedFilePath,
    },
  };

  const asyncOnly = (api: string, run: (o: Options) => object): WxFunction => {
    // FileSystemManager methods are not promisified in WeChat: callbacks only.
    return (arg?: unknown) => {
      let options: Options = {};
      let outcome: { ok: boolean; result: Record<string, unknown> };
      try {
        options = optionsOf(arg);
        outcome = { ok: true, result: okResult(api, run(options)) };
      } catch (error) {
        outcome = { ok: false, result: failResult(api, error) };
      }
      void Promise.resolve().then(() =>
        deliver(options, outcome.ok, outcome.result, ctx.onCallbackError),
      );
    };
  };

  const manager: Record<string, WxFunction> = {};
  for (const [name, op] of Object.entries(ops)) {
    manager[name] = asyncOnly(name, op.run);
    manager[`${name}Sync`] = (...args: unknown[]) => {
      const o: Options = {};
      op.params.forEach((param, i) => (o[param] = args[i]));
      try {
        const payload = op.run(o) as Record<string, unknown>;
        return op.syncValue ? op.syncValue(payload) : undefined;
      } catch (error) {
        throw new ErrorCtor(String(failResult(`${name}Sync`, error).errMsg));
      }
    };
  }
  manager.getFileInfo = asyncOnly('getFileInfo', (o) => fileInfo(o));
  manager.getSavedFileList = asyncOnly('getSavedFileList', () => ({ fileList: savedFiles() }));
  manager.removeSavedFile = asyncOnly('removeSavedFile', (o) => removeSaved(o));

  function fileInfo(o: Options) {
    const p = readable(o.filePath, 'filePath');
    const bytes = attempt(() => fs.readFileSync(p.real), p.wxPath);
    const algorithm = o.digestAlgorithm === 'sha1' ? 'sha1' : 'md5';
    return { size: bytes.length, digest: crypto.createHash(algorithm).update(bytes).digest('hex') };
  }

  function removeSaved(o: Options) {
    const p = readable(o.filePath, 'filePath');
    if (p.kind !== 'store') throw new WxFailure(`permission denied, open ${p.wxPath}`);
    attempt(() => fs.unlinkSync(p.real), p.wxPath);
    return {};
  }

  // The old wx.saveFile & co are promisified like other wx APIs.
  const legacy = (api: string, run: (o: Options) => object) =>
    asyncApi(api, run, ctx.onCallbackError);
  // Methods a real FileSystemManager has but this one lacks fail loudly by name.
  const visibleManager = new Proxy(manager, {
    get(target, prop) {
      if (typeof prop !== 'string' || prop in target) return Reflect.get(target, prop);
      if (!FILE_SYSTEM_MANAGER_METHODS.has(prop)) return undefined;
      const stub = notEmulated(ctx, `FileSystemManager.${prop}`);
      target[prop] = stub;
      return stub;
    },
  });
  const apis: ApiTable = {
    getFileSystemManager: () => visibleManager,
    saveFile: legacy('saveFile', saveFile),
    getSavedFileList: legacy('getSavedFileList', () => ({ fileList: savedFiles() })),
    getSavedFileInfo: legacy('getSavedFileInfo', (o) => {
      const p = readable(o.filePath, 'filePath');
      const stat = attempt(() => fs.statSync(p.real), p.wxPath);
      return { size: stat.size, createTime: Math.floor(stat.birthtimeMs / 1000) };
    }),
    removeSavedFile: legacy('removeSavedFile', removeSaved),
    getFileInfo: legacy('getFileInfo', fileInfo),
  };

  return { apis, manager };
}
