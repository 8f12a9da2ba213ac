import { spawnSync } from 'child_process';
import { compilerBinary } from './binaries';
import { listSourceFiles, usingComponentTags } from './source-files';

/**
 * Compiles .wxml/.wxs files (`only`, or every one under the root) with the official `wcc` in
 * one call, as DevTools does. Returns the JavaScript that defines `$gwx`.
 */
export function compileWxml(root: string, globalComponentTags: string[], only?: string[]): string {
  const files = only ?? listSourceFiles(root, ['.wxml', '.wxs']);
  const wxml = files.filter((file) => file.endsWith('.wxml'));
  const wxs = files.filter((file) => file.endsWith('.wxs'));
  // Tell wcc which tags are custom components in each template (page/component json + app.json).
  const componentArgs: string[] = [];
  let count = 0;
  for (const file of wxml) {
    const own = usingComponentTags(root, file.slice(0, -'.wxml'.length));
    const tags = [...new Set([...(own ?? []), ...globalComponentTags])];
    if (tags.length === 0) continue;
    componentArgs.push(file, String(tags.length), ...tags);
    count++;
  }
  const args = ['-d', '-cc', [count, ...componentArgs].join(' '), ...wxml, ...wxs, '-gn', '$gwx'];
  const result = spawnSync(compilerBinary('wcc'), args, {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new Error(`wcc failed to start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`wcc failed (exit ${result.status}): ${result.stderr.toString().trim()}`);
  }
  return result.stdout.toString();
}
