import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Sandbox } from '../sandbox/sandbox';
import type * as Esbuild from 'esbuild';

type EsbuildModule = typeof Esbuild;

const TRANSFORM_CACHE = path.join(os.tmpdir(), 'wechat-devtools-sim-esm-cache');

interface LoadedModule {
  exports: unknown;
}

const ESM_SYNTAX =
  /(^|[;\s})])(import\s*[\w{*'"]|export\s*([{*]|(default|const|let|var|function|class|async)\b))/m;

/**
 * CommonJS modules of the mini program, evaluated in the sandbox with WeChat's resolution:
 * relative to the requiring file, then `miniprogram_npm` walking up to the root, `/` from the root.
 * ES module files (tdesign's miniprogram_dist) are turned into CommonJS with esbuild first.
 */
export class ModuleLoader {
  private readonly cache = new Map<string, LoadedModule>();
  private esbuild: EsbuildModule | null = null;

  constructor(
    private readonly sandbox: Sandbox,
    private readonly root: string,
  ) {}

  /** Evaluate (once) the module at an absolute path inside the root. */
  load(file: string): unknown {
    const cached = this.cache.get(file);
    if (cached) return cached.exports;
    // Made in the sandbox: app code holds `module`, so it must not be a Node-realm object.
    const module = this.sandbox.evaluate('({ exports: {} })') as LoadedModule;
    this.cache.set(file, module);
    try {
      let code = fs.readFileSync(file, 'utf8');
      if (ESM_SYNTAX.test(code)) code = this.toCommonJs(code, file);
      const fn = this.sandbox.compileFunction(code, ['require', 'module', 'exports'], file);
      fn.call(module.exports, this.requireFrom(file), module, module.exports);
    } catch (error) {
      this.cache.delete(file);
      throw error;
    }
    return module.exports;
  }

  isLoaded(file: string): boolean {
    return this.cache.has(file);
  }

  /** The `require` given to the module at `file`. */
  requireFrom(file: string): (request: string) => unknown {
    return this.sandbox.wrap((request: string) => {
      if (typeof request !== 'string' || request === '') {
        throw new Error(
          `require: module name must be a non-empty string (in ${this.relative(file)})`,
        );
      }
      return this.load(this.resolve(request, file));
    });
  }

  resolve(request: string, fromFile: string): string {
    const fromDir = path.dirname(fromFile);
    const candidates: string[] = [];
    if (request.startsWith('/')) candidates.push(path.join(this.root, request));
    else {
      candidates.push(path.resolve(fromDir, request));
      if (!request.startsWith('.')) {
        for (let dir = fromDir; ; dir = path.dirname(dir)) {
          candidates.push(path.join(dir, 'miniprogram_npm', request));
          if (dir === this.root || !dir.startsWith(this.root)) break;
        }
      }
    }
    for (const base of candidates) {
      if (!base.startsWith(this.root + path.sep)) continue;
      for (const file of [base, `${base}.js`, path.join(base, 'index.js')]) {
        if (file.endsWith('.js') && isFile(file)) return file;
      }
    }
    throw new Error(
      `module "${request}" is not defined (required from ${this.relative(fromFile)})`,
    );
  }

  /** esbuild output cached on disk by content hash: the same tdesign files load on every start. */
  private toCommonJs(code: string, file: string): string {
    // The key covers the transform settings too, so changing them never serves stale output.
    const key = crypto.createHash('sha1').update(`cjs|es2020|${code}`).digest('hex');
    const cached = path.join(TRANSFORM_CACHE, `${key}.js`);
    try {
      return fs.readFileSync(cached, 'utf8');
    } catch {
      // not cached yet
    }
    const output = this.transform(code, file);
    try {
      fs.mkdirSync(TRANSFORM_CACHE, { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temp, output);
      fs.renameSync(temp, cached);
    } catch {
      // a read-only temp dir only costs speed
    }
    return output;
  }

  private transform(code: string, file: string): string {
    // Loaded lazily: only apps with ES module files (tdesign) pay for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.esbuild ??= require('esbuild') as EsbuildModule;
    return this.esbuild.transformSync(code, {
      format: 'cjs',
      loader: 'js',
      target: 'es2020',
      sourcefile: file,
    }).code;
  }

  private relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
