import fs from 'fs';
import path from 'path';

/**
 * A usingComponents value → the component's route (path without extension, from the root):
 * `/abs` from the root, relative to the user, or a package under `miniprogram_npm` walking up.
 * `fromRoute` is the page/component declaring it, or 'app' for app.json.
 */
export function resolveComponentRoute(root: string, target: string, fromRoute: string): string {
  const fromDir = fromRoute === 'app' ? '' : path.posix.dirname(fromRoute);
  const candidates: string[] = [];
  if (target.startsWith('/')) candidates.push(target.slice(1));
  else {
    candidates.push(path.posix.join(fromDir, target));
    if (!target.startsWith('.')) {
      for (let dir = fromDir; ; dir = path.posix.dirname(dir)) {
        candidates.push(path.posix.join(dir === '.' ? '' : dir, 'miniprogram_npm', target));
        if (dir === '' || dir === '.' || dir === '/') break;
      }
    }
  }
  for (const candidate of candidates) {
    const normalized = path.posix.normalize(candidate).replace(/^\.\//, '');
    if (normalized.startsWith('..')) continue;
    for (const route of [normalized, `${normalized}/index`]) {
      if (
        fs.existsSync(path.join(root, `${route}.json`)) ||
        fs.existsSync(path.join(root, `${route}.js`))
      ) {
        return route;
      }
    }
  }
  throw new Error(`component "${target}" used by ${fromRoute} is not found`);
}
