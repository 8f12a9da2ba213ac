const MAX_LENGTH = 100;

/**
 * A display-only name: no directories, no control or reserved characters, bounded length.
 * It is never used to build a path (blobs get random names).
 */
export function sanitizeFilename(input: unknown): string {
  if (typeof input !== 'string') return 'file';
  const base = input.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .replace(/^\.+/, '')
    .trim();
  if (!cleaned) return 'file';
  if (cleaned.length <= MAX_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, MAX_LENGTH - ext.length) + ext;
}
