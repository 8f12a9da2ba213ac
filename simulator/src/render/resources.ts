import fs from 'fs';
import path from 'path';
import type { Route } from 'playwright-core';

/** The origin rendered pages live on; never leaves Chromium (every request to it is answered here). */
export const PAGE_ORIGIN = 'http://mp.sim';
const FILE_ROUTE = '/__wxfile/';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.bmp': 'image/bmp',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** WeChat's own file schemes: temp, user and saved files live outside the project. */
const WX_FILE = /^(wxfile:\/\/|http:\/\/(tmp|usr|store)(\/|$))/;

export interface ResourceOptions {
  /** The mini program root (`dist/`): `/images/a.png` is served from here. */
  projectPath?: string;
  /** Maps a wx file path (`http://tmp/...`, `wxfile://usr/...`) to a real file; throws if outside. */
  resolveWxFile?: (wxPath: string) => string;
}

/**
 * Rewrites an image src as the page will request it: project paths (absolute or relative to
 * the page) and wx file paths onto the page origin, network URLs and data: URLs unchanged.
 */
export function resolveImageUrl(src: string, pagePath: string | undefined): string {
  const trimmed = src.trim();
  if (WX_FILE.test(trimmed)) return `${PAGE_ORIGIN}${FILE_ROUTE}${encodeURIComponent(trimmed)}`;
  if (/^(https?:|data:|blob:)/i.test(trimmed)) return trimmed;
  if (trimmed.startsWith('/')) return PAGE_ORIGIN + path.posix.normalize(trimmed);
  const base = pagePath ? path.posix.dirname(`/${pagePath}`) : '/';
  return PAGE_ORIGIN + path.posix.normalize(path.posix.join(base, trimmed));
}

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function serveFile(route: Route, file: string): Promise<void> {
  return fs.promises.readFile(file).then(
    (body) =>
      route.fulfill({
        status: 200,
        body,
        contentType: MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      }),
    () => route.fulfill({ status: 404, body: 'not found' }),
  );
}

/**
 * Answers every request of a rendered page: local files from the project and wx file dirs,
 * loopback URLs (the local backend) through the network, everything else refused at once
 * (the network is closed: tdesign's icon font CDN, for one, is unreachable).
 */
export function handleRequest(route: Route, options: ResourceOptions): Promise<void> {
  const raw = route.request().url();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return route.abort('addressunreachable');
  }
  if (raw.startsWith(PAGE_ORIGIN + '/')) {
    if (url.pathname.startsWith(FILE_ROUTE)) {
      const wxPath = decodeURIComponent(url.pathname.slice(FILE_ROUTE.length));
      let file: string;
      try {
        if (!options.resolveWxFile) throw new Error('no wx file resolver');
        file = options.resolveWxFile(wxPath);
      } catch {
        return route.fulfill({ status: 404, body: 'not found' });
      }
      return serveFile(route, file);
    }
    if (!options.projectPath) return route.fulfill({ status: 404, body: 'not found' });
    const root = path.resolve(options.projectPath);
    const file = path.resolve(root, '.' + path.posix.normalize(decodeURIComponent(url.pathname)));
    if (file !== root && !file.startsWith(root + path.sep)) {
      return route.fulfill({ status: 403, body: 'forbidden' });
    }
    return serveFile(route, file);
  }
  if (
    (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:') &&
    isLoopback(url)
  ) {
    return route.continue();
  }
  return route.abort('addressunreachable');
}
