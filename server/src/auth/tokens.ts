import crypto from 'node:crypto';

/** 256 random bits, URL-safe. */
export const newToken = (): string => crypto.randomBytes(32).toString('base64url');

/** Tokens are stored only as this hash: a leaked database does not leak live tokens. */
export const hashToken = (token: string): string =>
  crypto.createHash('sha256').update(token).digest('hex');

/** `Authorization: Bearer <token>` → token, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{10,200})$/i.exec(value.trim());
  return match ? match[1] : undefined;
}
