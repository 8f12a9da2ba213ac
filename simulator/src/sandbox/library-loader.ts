import fs from 'fs';
import path from 'path';
import type { Sandbox } from './sandbox';
import { createRequire } from 'module';

// Node's typed resolver (WeChat's typings redeclare the global `require`).
const nodeRequire = createRequire(__filename);

/** Host services the view libraries (exparser, j-component) may use inside the sandbox. */
export interface LibraryScope {
  console: unknown;
  setTimeout: unknown;
  clearTimeout: unknown;
  setInterval: unknown;
  clearInterval: unknown;
}

/**
 * A `require` that loads CommonJS packages (j-component and its dependency miniprogram-exparser)
 * into the sandbox realm, so their objects share intrinsics with the app and the wcc output.
 * Modules are shared across calls by resolved file path.
 */
export function createLibraryRequire(
  sandbox: Sandbox,
  scope: LibraryScope,
): (specifier: string) => unknown {
  const cache = new Map<string, { exports: unknown }>();
  // `global` seen by the libraries: a private object, not the app's global.
  // Made in the sandbox realm, like every object the libraries (and through them the app) touch.
  const libraryGlobal = sandbox.evaluate('({})') as Record<string, unknown>;

  const load = (file: string): unknown => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module = sandbox.evaluate('({ exports: {} })') as { exports: unknown };
    cache.set(file, module);
    const code = fs.readFileSync(file, 'utf8');
    const fn = sandbox.compileFunction(
      code,
      [
        'exports',
        'require',
        'module',
        '__filename',
        '__dirname',
        'global',
        'console',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
      ],
      file,
    );
    const localRequire = sandbox.wrap((request: string): unknown =>
      load(resolve(request, path.dirname(file))),
    );
    fn.call(
      module.exports,
      module.exports,
      localRequire,
      module,
      file,
      path.dirname(file),
      libraryGlobal,
      scope.console,
      scope.setTimeout,
      scope.clearTimeout,
      scope.setInterval,
      scope.clearInterval,
    );
    return module.exports;
  };

  return (specifier: string) => load(nodeRequire.resolve(specifier));
}

function resolve(request: string, fromDir: string): string {
  if (request.startsWith('.') || request.startsWith('/')) {
    const base = path.resolve(fromDir, request);
    for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    throw new Error(`library module not found: ${request} (from ${fromDir})`);
  }
  return nodeRequire.resolve(request, { paths: [fromDir] });
}
