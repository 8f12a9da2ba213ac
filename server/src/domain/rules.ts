/**
 * Business rules shared by the local server and the cloud functions (ONE copy: the cloud
 * functions' build bundles this file into each function folder, see cloudfunctions/README.md).
 * Pure functions over plain values: no Fastify, no SQLite, no wx-server-sdk.
 */
import crypto from 'node:crypto';
import type { Envelope, PageResult, ProductCategory } from '../../../typings/api';
import { AppError } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
export const MAX_QUERY_LENGTH = 50;
export const MAX_PAGE = 10_000;
export const PRODUCT_CATEGORIES: readonly ProductCategory[] = [
  'phones',
  'laptops',
  'audio',
  'cameras',
  'home',
  'books',
  'rare',
];
export const PRODUCT_ID_PATTERN = '^p[0-9]{3,6}$';
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';

export interface Page {
  current: number;
  pageSize: number;
  offset: number;
}

/** Raw paging input as it arrives (query strings, cloud function event fields). */
export interface RawPageInput {
  current?: unknown;
  pageSize?: unknown;
}

function integerIn(
  name: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new AppError('BAD_REQUEST', `${name} must be an integer`);
  }
  if (n < min || n > max) {
    throw new AppError('BAD_REQUEST', `${name} must be between ${min} and ${max}`);
  }
  return n;
}

/** current ≥ 1 (default 1), 1 ≤ pageSize ≤ 50 (default 20). */
export function normalizePage(input: RawPageInput, maxPageSize = MAX_PAGE_SIZE): Page {
  const current = integerIn('current', input.current, 1, MAX_PAGE, 1);
  const pageSize = integerIn('pageSize', input.pageSize, 1, maxPageSize, DEFAULT_PAGE_SIZE);
  return { current, pageSize, offset: (current - 1) * pageSize };
}

export function pageResult<T>(list: T[], page: Page, total: number): PageResult<T> {
  return { list, current: page.current, pageSize: page.pageSize, total };
}

export interface NormalizedProductQuery extends Page {
  q?: string;
  category?: ProductCategory;
}

export function normalizeProductQuery(
  input: RawPageInput & { q?: unknown; category?: unknown },
): NormalizedProductQuery {
  const page = normalizePage(input);
  const result: NormalizedProductQuery = { ...page };
  if (input.q !== undefined && input.q !== '') {
    if (typeof input.q !== 'string') throw new AppError('BAD_REQUEST', 'q must be a string');
    const q = input.q.trim();
    if (q.length > MAX_QUERY_LENGTH) {
      throw new AppError('BAD_REQUEST', `q must be at most ${MAX_QUERY_LENGTH} characters`);
    }
    if (q) result.q = q.toLowerCase();
  }
  if (input.category !== undefined && input.category !== '') {
    if (!PRODUCT_CATEGORIES.includes(input.category as ProductCategory)) {
      throw new AppError('BAD_REQUEST', `category must be one of ${PRODUCT_CATEGORIES.join(', ')}`);
    }
    result.category = input.category as ProductCategory;
  }
  return result;
}

/** Stable cache key of a normalized product query (ordering of fields fixed). */
export function productQueryKey(query: NormalizedProductQuery): string {
  return `${query.category ?? ''}|${query.q ?? ''}|${query.current}|${query.pageSize}`;
}

export function validateProductId(id: unknown): string {
  if (typeof id !== 'string' || !new RegExp(PRODUCT_ID_PATTERN).test(id)) {
    throw new AppError('BAD_REQUEST', 'productId must look like p001');
  }
  return id;
}

// ---------------------------------------------------------------- idempotency

export function validateIdempotencyKey(key: unknown): string | undefined {
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !new RegExp(IDEMPOTENCY_KEY_PATTERN).test(key)) {
    throw new AppError(
      'BAD_REQUEST',
      'Idempotency-Key must be 1-128 characters of letters, digits and . _ : -',
    );
  }
  return key;
}

/** Fingerprint of what a key was first used for: same scope + same body → same fingerprint. */
export function requestFingerprint(scope: string, body: unknown): string {
  return crypto
    .createHash('sha256')
    .update(scope)
    .update('\n')
    .update(canonicalJson(body))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface StoredIdempotentReply {
  fingerprint: string;
  status: number;
  reply: string;
}

/**
 * What to do with a request that carries a key: run it (no record yet), replay the stored reply
 * (same request), or refuse (the key was used for a different request).
 */
export function decideIdempotency(
  stored: StoredIdempotentReply | undefined,
  fingerprint: string,
): { kind: 'run' } | { kind: 'replay'; status: number; reply: string } {
  if (!stored) return { kind: 'run' };
  if (stored.fingerprint !== fingerprint) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Idempotency-Key was already used for a different request',
    );
  }
  return { kind: 'replay', status: stored.status, reply: stored.reply };
}

// ---------------------------------------------------------------- login

/** Dev login: `dev-<userKey>-<nonce>` → `<userKey>`, anything else → `default`. */
export function devUserKeyFromCode(code: string): string {
  const match = /^dev-([A-Za-z0-9_]{1,32})-[A-Za-z0-9_.-]{1,64}$/.exec(code);
  return match ? match[1] : 'default';
}

export function validateLoginCode(code: unknown): string {
  if (typeof code !== 'string' || code.length < 1 || code.length > 128) {
    throw new AppError('BAD_REQUEST', 'code must be a string of 1-128 characters');
  }
  return code;
}

// ---------------------------------------------------------------- envelopes

export function envelopeOf<T>(data: T, traceId: string): Envelope<T> {
  return { success: true, data, traceId };
}

export function errorEnvelope(error: unknown, traceId: string): Envelope<never> {
  if (error instanceof AppError) {
    return {
      success: false,
      errorCode: error.code,
      errorMessage: error.message,
      showType: error.showType,
      traceId,
    };
  }
  return {
    success: false,
    errorCode: 'INTERNAL',
    errorMessage: 'Internal error',
    showType: 2,
    traceId,
  };
}
