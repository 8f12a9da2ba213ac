import { spawn } from 'child_process';
import fs from 'fs';
import { createRequire } from 'module';
import path from 'path';
import vm from 'vm';

/**
 * One compiled stylesheet as wcsc emits it: CSS text pieces interleaved with ops that WeChat's
 * webview fills in at run time — `[0, n]` n rpx, `[1]` the component's class prefix, `[2, path]`
 * an imported common stylesheet.
 */
export type WxssPiece = string | [0, number] | [1] | [2, string];
export type CompiledWxss = WxssPiece[];

export interface WxssBundle {
  /** Compiled sheets by path relative to the project root, without leading './' (`pages/a/a.wxss`). */
  sheets: Map<string, CompiledWxss>;
  /** Imported stylesheets the sheets refer to with `[2, path]`. */
  common: Map<string, CompiledWxss>;
  /** CSS wcsc applies globally (components' `:host` rules, keyed by `[is=...]`). */
  globalCss: string;
}

function wcscBinary(): string {
  // createRequire: Node's typed resolver (WeChat's typings redeclare the global `require`).
  const dir = path.dirname(createRequire(__filename).resolve('miniprogram-compiler/package.json'));
  const sub =
    process.platform === 'darwin'
      ? 'mac/wcsc'
      : process.platform === 'win32'
        ? 'windows/wcsc.exe'
        : 'linux/wcsc';
  const bin = path.join(dir, 'bin', sub);
  // The package ships its binaries without the execute bit.
  if (process.platform !== 'win32') {
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      fs.chmodSync(bin, 0o755);
    }
  }
  return bin;
}

/** Decodes the JS string escapes wcsc writes into its `key=value=` output. */
function unescapeJs(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\s\S])/g, (_m, esc: string): string => {
    if (esc[0] === 'x' || (esc[0] === 'u' && esc.length === 5)) {
      return String.fromCharCode(parseInt(esc.slice(1), 16));
    }
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };
    return simple[esc] ?? esc;
  });
}

function normalise(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** Runs wcsc over every given .wxss file (paths relative to root) and returns their sheets. */
export function compileWxss(root: string, files: string[]): Promise<WxssBundle> {
  const list = files.map((f) => normalise(f));
  // `-pc N`: the first N files get an output of their own; imports need only be listed.
  const args = ['-pc', String(list.length), ...list];
  return new Promise((resolve, reject) => {
    const child = spawn(wcscBinary(), args, { cwd: root });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        const why = Buffer.concat(err).toString().trim() || `exit code ${code}`;
        reject(new Error(`wcsc failed in ${root}: ${why}`));
        return;
      }
      try {
        resolve(parseWcscOutput(Buffer.concat(out).toString()));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Parses `version=...=comm=...=<file>=<js>=` into sheets by evaluating the JS with stubs. */
export function parseWcscOutput(output: string): WxssBundle {
  const parts = output.split('=');
  const entries = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) entries.set(parts[i], unescapeJs(parts[i + 1]));
  // comm applies a few sheets itself (`:host` rules as `[is=...]`): catch them through the
  // webview's style sheet manager hook instead of a DOM.
  const globalCss: string[] = [];
  const styleSheetManager = {
    addItem: () => undefined,
    setCss: (_key: string, css: string) => globalCss.push(css),
  };
  const sandbox: Record<string, unknown> = {
    window: {
      screen: { width: 375, height: 667 },
      devicePixelRatio: 2,
      __styleSheetManager2__: styleSheetManager,
    },
    navigator: { userAgent: '' },
    __COMMON_STYLESHEETS__: {},
  };
  const context = vm.createContext(sandbox);
  vm.runInContext(entries.get('comm') ?? '', context, { timeout: 5000 });
  const sheets = new Map<string, CompiledWxss>();
  let captured: CompiledWxss | null = null;
  sandbox.setCssToHead = (file: CompiledWxss) => {
    captured = file;
    return () => undefined;
  };
  for (const [key, code] of entries) {
    if (!key.endsWith('.wxss')) continue;
    captured = null;
    vm.runInContext(code, context, { timeout: 5000 });
    const name = normalise(key);
    // wcsc lists app.wxss twice ('app.wxss' and an empty './app.wxss'): keep the full one.
    if (captured && (!sheets.has(name) || (captured as CompiledWxss).length > 0)) {
      sheets.set(name, captured);
    }
  }
  const commonRaw = sandbox.__COMMON_STYLESHEETS__ as Record<string, CompiledWxss>;
  const common = new Map<string, CompiledWxss>();
  for (const key of Object.keys(commonRaw)) common.set(normalise(key), commonRaw[key]);
  return { sheets, common, globalCss: globalCss.join('\n') };
}
