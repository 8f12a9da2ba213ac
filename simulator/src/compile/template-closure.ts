import fs from 'fs';
import path from 'path';
import { resolveComponentRoute } from '../project/component-route';

const TEMPLATE_REFERENCE = /<(import|include|wxs)\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/g;
const WXS_REQUIRE = /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g;

/**
 * The .wxml/.wxs files the given pages can reach: their templates, the templates of every
 * component they use (recursively, app.json's global ones included) and what those import,
 * include or load as wxs. wcc then compiles only these instead of every file under the root
 * (tdesign ships ~100 components; an app uses a few). Paths are relative with `/`.
 */
export function templateClosure(
  root: string,
  pageRoutes: string[],
  globalUsing: Record<string, string>,
): string[] {
  const routes = new Set<string>();
  const files = new Set<string>();
  const pendingRoutes = [...pageRoutes];
  const globalTargets = Object.values(globalUsing).filter((t) => !t.startsWith('plugin://'));
  for (const target of globalTargets)
    pendingRoutes.push(resolveComponentRoute(root, target, 'app'));

  while (pendingRoutes.length) {
    const route = pendingRoutes.pop() as string;
    if (routes.has(route)) continue;
    routes.add(route);
    addFile(root, `${route}.wxml`, files);
    const json = readJson(path.join(root, `${route}.json`));
    for (const target of Object.values(json.usingComponents ?? {})) {
      if (typeof target !== 'string' || target.startsWith('plugin://')) continue;
      pendingRoutes.push(resolveComponentRoute(root, target, route));
    }
  }
  return [...files].sort();
}

function addFile(root: string, file: string, files: Set<string>): void {
  const normalized = path.posix.normalize(file).replace(/^\/+/, '');
  if (files.has(normalized) || !fs.existsSync(path.join(root, normalized))) return;
  files.add(normalized);
  const source = fs.readFileSync(path.join(root, normalized), 'utf8');
  const dir = path.posix.dirname(normalized);
  const resolve = (ref: string, extension: string): string => {
    const base = ref.startsWith('/') ? ref.slice(1) : path.posix.join(dir, ref);
    return base.endsWith(extension) ? base : `${base}${extension}`;
  };
  if (normalized.endsWith('.wxml')) {
    for (const match of source.matchAll(TEMPLATE_REFERENCE)) {
      addFile(root, resolve(match[2], match[1] === 'wxs' ? '.wxs' : '.wxml'), files);
    }
  } else {
    for (const match of source.matchAll(WXS_REQUIRE))
      addFile(root, resolve(match[1], '.wxs'), files);
  }
}

function readJson(file: string): { usingComponents?: Record<string, unknown> } {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as {
      usingComponents?: Record<string, unknown>;
    };
  } catch {
    return {};
  }
}
