import {
  IDEMPOTENCY_KEY_PATTERN,
  MAX_PAGE,
  MAX_PAGE_SIZE,
  PRODUCT_ID_PATTERN,
} from '../domain/rules';

/** JSON-schema fragments shared by route files. */
export const pageQuerySchema = {
  type: 'object',
  properties: {
    current: { type: 'integer', minimum: 1, maximum: MAX_PAGE },
    pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
  },
  additionalProperties: false,
} as const;

export const productIdSchema = { type: 'string', pattern: PRODUCT_ID_PATTERN } as const;

export const idempotencyHeaderSchema = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN } },
} as const;

export const uploadIdSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } as const;
export const fileIdSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{20,64}$' } as const;

/** For routes that take no query parameters (unknown ones are dropped, not trusted). */
export const noQuerySchema = { type: 'object', additionalProperties: false } as const;
