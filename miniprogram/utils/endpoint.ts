/** URL → endpoint pattern: ids collapsed (`/api/products/p001?x=1` → `/api/products/:id`). */

/** A segment is an id when it holds a digit and is not a version tag like v2. */
const ID_SEGMENT = /^(?!v\d+$)\D*\d/i;

/** The segments of a path without its query. */
function segmentsOf(path: string): string[] {
  return path.split('?')[0].split('/');
}

const patterns = new Map<string, string>();

/** Memoised (bounded): the monitor asks for every request. */
export function endpointPattern(path: string): string {
  let pattern = patterns.get(path);
  if (!pattern) {
    if (patterns.size >= 500) patterns.clear();
    pattern =
      segmentsOf(path.replace(/^[a-z]+:\/\/[^/]+/i, ''))
        .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
        .join('/') || '/';
    patterns.set(path, pattern);
  }
  return pattern;
}

/** The collection a mutation changes: `/api/favorites/p001` → `/api/favorites`. */
export function collectionPath(path: string): string {
  const segments = segmentsOf(path);
  if (segments.length > 2 && ID_SEGMENT.test(segments[segments.length - 1])) segments.pop();
  return segments.join('/') || '/';
}
