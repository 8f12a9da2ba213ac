import fs from 'fs';
import path from 'path';

/** Every file under `root` with one of the extensions, relative with `/`, sorted. */
export function listSourceFiles(root: string, extensions: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      // miniprogram_npm packages may be symlinks (test fixtures link tdesign in).
      const isDirectory =
        entry.isDirectory() || (entry.isSymbolicLink() && fs.statSync(full).isDirectory());
      if (isDirectory) walk(full, relative);
      else if (extensions.some((ext) => entry.name.endsWith(ext))) found.push(relative);
    }
  };
  walk(root, '');
  return found.sort();
}

/** The `usingComponents` keys of `<file>.json` next to a template, or [] when there is none. */
export function usingComponentTags(root: string, fileWithoutExt: string): string[] | null {
  const jsonFile = path.join(root, `${fileWithoutExt}.json`);
  if (!fs.existsSync(jsonFile)) return null;
  try {
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as {
      usingComponents?: Record<string, string>;
    };
    return Object.keys(json.usingComponents ?? {});
  } catch {
    return null;
  }
}
