/**
 * Size of the built request stack: everything http.ts pulls in (pipeline, transport, envelope,
 * scheduler, session, cache, dedupe, retry, monitor, error handler, i18n, storage, ids),
 * bundled and minified by esbuild, then gzipped (zlib level 9).
 * Goal: < 8 KB gzip (weRequest 5.1 KB, alova 6.1-21 KB, umi-request 23 KB, axios+adapter 8.5 KB).
 */
import { buildSync, transformSync } from 'esbuild';
import * as path from 'path';
import { gzipSync } from 'zlib';

const root = path.join(__dirname, '..', '..');
const GOAL_BYTES = 8 * 1024;

const BUILD = {
  bundle: true,
  format: 'esm',
  target: 'es2018', // the app's tsconfig target
  write: false,
  logLevel: 'silent',
} as const;
const gzip = (code: string | Uint8Array): number => gzipSync(code, { level: 9 }).length;

function measure(entry: string): { minified: number; gzip: number } {
  const result = buildSync({ ...BUILD, entryPoints: [path.join(root, entry)], minify: true });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzip: gzip(code) };
}

/**
 * Where the bytes go: the same bundle split at esbuild's per-module markers (identifiers and
 * syntax minified as in the figure, whitespace minified per module). A module's gzip share is
 * what the whole loses without it, so shared vocabulary is not counted twice; the shares add up
 * to a little less than the figure.
 */
function breakdown(entry: string): Array<{ module: string; minified: number; gzip: number }> {
  const result = buildSync({
    ...BUILD,
    entryPoints: [path.join(root, entry)],
    minifyIdentifiers: true,
    minifySyntax: true,
  });
  const pieces = result.outputFiles[0].text.split(/^\/\/ ((?:miniprogram|typings)\/\S+)\n/m);
  const modules: Array<{ module: string; code: string }> = [];
  for (let i = 1; i < pieces.length; i += 2) {
    const code = transformSync(pieces[i + 1], { minifyWhitespace: true, loader: 'js' }).code;
    modules.push({ module: pieces[i], code });
  }
  const whole = gzip(modules.map((m) => m.code).join(''));
  return modules
    .map(({ module, code }, index) => ({
      module,
      minified: code.length,
      gzip:
        whole -
        gzip(
          modules
            .filter((_, other) => other !== index)
            .map((m) => m.code)
            .join(''),
        ),
    }))
    .sort((a, b) => b.gzip - a.gzip);
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const stack = measure('miniprogram/utils/http.ts');
console.log('request stack size (esbuild bundle + minify, gzip -9)');
console.log(
  `  miniprogram/utils/http.ts and its imports: ${kb(stack.minified)} minified, ${kb(stack.gzip)} gzip`,
);
for (const part of [
  'cache.ts',
  'session.ts',
  'retry.ts',
  'monitor.ts',
  'scheduler.ts',
  'error-handler.ts',
]) {
  const size = measure(`miniprogram/utils/${part}`);
  console.log(`    ${part.padEnd(17)} (alone, with its imports) ${kb(size.gzip)} gzip`);
}
console.log('  breakdown (module: minified bytes, gzip bytes it adds to the whole)');
for (const row of breakdown('miniprogram/utils/http.ts')) {
  const name = row.module.replace('miniprogram/utils/', '');
  console.log(
    `    ${name.padEnd(20)} ${String(row.minified).padStart(6)} ${String(row.gzip).padStart(6)}`,
  );
}
console.log(
  `  figure: ${kb(stack.gzip)} gzip (goal < ${kb(GOAL_BYTES)}) ${stack.gzip < GOAL_BYTES ? 'MET' : 'NOT MET'}`,
);
