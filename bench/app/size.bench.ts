/**
 * Main package size of the built app (dist/) and tdesign's share of it.
 * Goal: < 1 MB (WeChat refuses a main package above 2 MB). Builds first when dist/ is missing.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const GOAL_BYTES = 1024 * 1024;
const LIMIT_BYTES = 2 * 1024 * 1024;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function ensureBuilt(): boolean {
  if (fs.existsSync(path.join(DIST, 'app.json'))) return true;
  console.log('dist/ is missing: running `npm run build` first');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0 || !fs.existsSync(path.join(DIST, 'app.json'))) {
    console.log('build failed: no size figures (fix the build, then run again)');
    return false;
  }
  return true;
}

function main(): void {
  if (!ensureBuilt()) return;
  const all = files(DIST).filter((file) => !file.endsWith('.map'));
  const sizeOf = (list: string[]) => list.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const total = sizeOf(all);
  const tdesignDir = path.join(DIST, 'miniprogram_npm', 'tdesign-miniprogram');
  const tdesign = sizeOf(all.filter((file) => file.startsWith(tdesignDir + path.sep)));
  const npm = sizeOf(all.filter((file) => file.includes(`${path.sep}miniprogram_npm${path.sep}`)));
  const byKind = new Map<string, number>();
  for (const file of all) {
    const kind = path.extname(file) || '(none)';
    byKind.set(kind, (byKind.get(kind) ?? 0) + fs.statSync(file).size);
  }
  const gzip = all.reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(file)).length, 0);

  console.log(
    `main package (dist/, ${all.length} files): ${kb(total)} (gzip per file ${kb(gzip)})`,
  );
  console.log(
    `  tdesign-miniprogram: ${kb(tdesign)} = ${((tdesign / total) * 100).toFixed(1)}% of it`,
  );
  console.log(`  all miniprogram_npm: ${kb(npm)}; the app's own files: ${kb(total - npm)}`);
  console.log(
    `  by type: ${[...byKind.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, bytes]) => `${kind} ${kb(bytes)}`)
      .join(', ')}`,
  );
  // Icons: the app draws its own (no CDN font); tdesign's glyph table ships anyway with t-icon.
  const appIcons = path.join(DIST, 'images', 'icons.wxss');
  const tdesignIcons = path.join(tdesignDir, 'icon', 'icon.wxss');
  const sizeIfAny = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  const cdnRefs = all
    .filter((file) => file.endsWith('.wxss') && !file.startsWith(tdesignDir + path.sep))
    .filter((file) => /url\(\s*['"]?https?:/.test(fs.readFileSync(file, 'utf8'))).length;
  console.log(
    `  icons: the app's bundle ${kb(sizeIfAny(appIcons))}; tdesign's unused glyph table ` +
      `${kb(sizeIfAny(tdesignIcons))}; app stylesheets loading anything remote: ${cdnRefs}`,
  );
  console.log(
    `goal: < ${kb(GOAL_BYTES)} → ${total < GOAL_BYTES ? 'met' : 'NOT met'} ` +
      `(${((total / GOAL_BYTES) * 100).toFixed(0)}% of the goal, ${((total / LIMIT_BYTES) * 100).toFixed(0)}% of WeChat's 2 MB limit)`,
  );
}

main();
