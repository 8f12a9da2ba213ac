/**
 * Size of the built request stack: everything http.ts pulls in (pipeline, transport, envelope,
 * scheduler, session, cache, dedupe, retry, monitor, error handler, i18n, storage, ids),
 * bundled and minified by esbuild, then gzipped (zlib level 9).
 * Goal: < 8 KB gzip (weRequest 5.1 KB, alova 6.1-21 KB, umi-request 23 KB, axios+adapter 8.5 KB).
 */
import { buildSync } from 'esbuild';
import * as path from 'path';
import { gzipSync } from 'zlib';

const root = path.join(__dirname, '..', '..');
const GOAL_BYTES = 8 * 1024;

function measure(entry: string): { minified: number; gzip: number } {
  const result = buildSync({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2018', // the app's tsconfig target
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
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
console.log(
  `  figure: ${kb(stack.gzip)} gzip (goal < ${kb(GOAL_BYTES)}) ${stack.gzip < GOAL_BYTES ? 'MET' : 'NOT MET'}`,
);
