import path from 'path';
import { normalizeRoute } from '../project/project';

export interface ParsedUrl {
  route: string;
  query: Record<string, string>;
}

/** A navigation url (absolute or relative to the current page) → route and raw query strings. */
export function parsePageUrl(url: unknown, currentRoute: string | null): ParsedUrl {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new Error(
      'parameter.url should be String instead of ' + (url === undefined ? 'Undefined' : typeof url),
    );
  }
  const [pathPart, queryPart = ''] = url.split('?');
  let route: string;
  if (pathPart.startsWith('/') || !currentRoute) route = normalizeRoute(pathPart);
  else
    route = normalizeRoute(
      path.posix.normalize(path.posix.join(path.posix.dirname(currentRoute), pathPart)),
    );
  const query: Record<string, string> = {};
  for (const pair of queryPart.split('&')) {
    if (!pair) continue;
    const index = pair.indexOf('=');
    const key = index < 0 ? pair : pair.slice(0, index);
    query[key] = index < 0 ? '' : pair.slice(index + 1);
  }
  return { route, query };
}

export function formatQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}
