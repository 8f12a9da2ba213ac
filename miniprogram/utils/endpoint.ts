/** URL → endpoint pattern: ids collapsed (`/api/products/p001?x=1` → `/api/products/:id`). */

/** A segment is an id when it holds a digit and is not a version tag like v2. */
function isIdSegment(segment: string): boolean {
  return /\d/.test(segment) && !/^v\d+$/i.test(segment);
}

const patterns = new Map<string, string>();

/** Memoised (bounded): the monitor asks for every request. */
export function endpointPattern(path: string): string {
  let pattern = patterns.get(path);
  if (pattern === undefined) {
    if (patterns.size >= 500) patterns.clear();
    pattern = computePattern(path);
    patterns.set(path, pattern);
  }
  return pattern;
}

function computePattern(path: string): string {
  const [pathname] = path.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?');
  return (
    pathname
      .split('/')
      .map((segment) => (isIdSegment(segment) ? ':id' : segment))
      .join('/') || '/'
  );
}

/** The collection a mutation changes: `/api/favorites/p001` → `/api/favorites`. */
export function collectionPath(path: string): string {
  const [pathname] = path.split('?');
  const segments = pathname.split('/');
  if (segments.length > 2 && isIdSegment(segments[segments.length - 1])) segments.pop();
  return segments.join('/') || '/';
}
