/**
 * The smallest setData patch that turns `previous` into `next` for a list of flat records with
 * ids: per-field path keys (`'uploads[2].progress'`) when the same items are in the same order,
 * the whole list otherwise. Upload progress ticks then cost a few bytes each.
 */
export function listPatch<T extends { id: string }>(
  key: string,
  previous: readonly T[],
  next: readonly T[],
): Record<string, unknown> {
  const sameShape =
    previous.length === next.length && previous.every((item, index) => item.id === next[index].id);
  if (!sameShape) return { [key]: next.slice() };
  const patch: Record<string, unknown> = {};
  next.forEach((item, index) => {
    const before = previous[index] as unknown as Record<string, unknown>;
    const after = item as unknown as Record<string, unknown>;
    for (const field of Object.keys(after)) {
      if (!sameValue(before[field], after[field]))
        patch[`${key}[${index}].${field}`] = after[field];
    }
    for (const field of Object.keys(before)) {
      if (!(field in after)) patch[`${key}[${index}].${field}`] = null;
    }
  });
  return patch;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
