import fs from 'fs';
import path from 'path';
import { spawnSync } from 'child_process';
import { compilerBinary } from './binaries';
import { listSourceFiles } from './source-files';

/** Per-file output of the official `wcsc`: JS snippets that build each stylesheet at runtime. */
export type CompiledWxss = Record<string, string>;

/**
 * Compiles every .wxss under the root with the official `wcsc` (component stylesheets first,
 * as DevTools orders them). Kept for a later rendering step; nothing here applies styles.
 */
export function compileWxss(root: string): CompiledWxss {
  const files = listSourceFiles(root, ['.wxss']);
  const components: string[] = [];
  const others: string[] = [];
  for (const file of files) {
    const json = path.join(root, `${file.slice(0, -'.wxss'.length)}.json`);
    (fs.existsSync(json) ? components : others).push(file);
  }
  const args = ['-db', '-pc', String(components.length), ...components, ...others];
  const result = spawnSync(compilerBinary('wcsc'), args, {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new Error(`wcsc failed to start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`wcsc failed (exit ${result.status}): ${result.stderr.toString().trim()}`);
  }
  const parts = result.stdout.toString().split('=');
  const out: CompiledWxss = {};
  for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i]] = parts[i + 1];
  return out;
}
