import { AppError } from '../../../server/src/domain/errors';
import {
  decideIdempotency,
  devUserKeyFromCode,
  normalizePage,
  normalizeProductQuery,
  PRODUCT_CATEGORIES,
  requestFingerprint,
} from '../../../server/src/domain/rules';
import { PRODUCT_CATEGORIES as APP_CATEGORIES } from '../../../miniprogram/services/product-categories';
import { sanitizeFilename } from '../../../server/src/uploads/filename';
import { sniffImageType } from '../../../server/src/uploads/magic';
import { LogHistogram } from '../../../server/src/metrics/histogram';
import { encodePng, placeholderPng } from '../../../server/src/images/png';

interface DecodedPng {
  width: number;
  height: number;
  data: Buffer;
}
// pngjs ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(bytes: Buffer): DecodedPng } } };

describe('shared rules', () => {
  it("the app's category tabs are the server's categories, in the same order", () => {
    // Two copies (the app build cannot import server code): this keeps them in step.
    expect(APP_CATEGORIES).toEqual(PRODUCT_CATEGORIES);
  });

  it('normalizes paging with defaults and bounds', () => {
    expect(normalizePage({})).toEqual({ current: 1, pageSize: 20, offset: 0 });
    expect(normalizePage({ current: '3', pageSize: '10' })).toEqual({
      current: 3,
      pageSize: 10,
      offset: 20,
    });
    expect(() => normalizePage({ pageSize: 51 })).toThrow(/pageSize must be between 1 and 50/);
    expect(() => normalizePage({ current: 1.5 })).toThrow(AppError);
    expect(() => normalizePage({ current: 'abc' })).toThrow(/current must be an integer/);
  });

  it('validates product queries', () => {
    expect(normalizeProductQuery({ q: '  Lamp ', category: 'home' })).toMatchObject({
      q: 'lamp',
      category: 'home',
    });
    expect(() => normalizeProductQuery({ category: 'weapons' })).toThrow(/category must be one of/);
    expect(() => normalizeProductQuery({ q: 'x'.repeat(51) })).toThrow(/at most 50/);
  });

  it('decides idempotent replays by fingerprint', () => {
    const f = requestFingerprint('scope', { a: 1, b: 2 });
    expect(requestFingerprint('scope', { b: 2, a: 1 })).toBe(f);
    expect(decideIdempotency(undefined, f)).toEqual({ kind: 'run' });
    expect(decideIdempotency({ fingerprint: f, status: 200, reply: '{}' }, f)).toEqual({
      kind: 'replay',
      status: 200,
      reply: '{}',
    });
    expect(() => decideIdempotency({ fingerprint: 'other', status: 200, reply: '{}' }, f)).toThrow(
      /different request/,
    );
  });

  it('maps dev login codes', () => {
    expect(devUserKeyFromCode('dev-alice-123')).toBe('alice');
    expect(devUserKeyFromCode('dev-bob_2-a.b-c')).toBe('bob_2');
    expect(devUserKeyFromCode('0a3Xyz')).toBe('default');
    expect(devUserKeyFromCode('dev--1')).toBe('default');
  });
});

describe('upload helpers', () => {
  it('sniffs images by magic bytes only', () => {
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe1]))).toBe('image/jpeg');
    expect(sniffImageType(placeholderPng('x'))).toBe('image/png');
    expect(sniffImageType(Buffer.from('GIF87a....'))).toBe('image/gif');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeUndefined();
    expect(sniffImageType(Buffer.from('<svg>'))).toBeUndefined();
    expect(sniffImageType(Buffer.alloc(0))).toBeUndefined();
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\evil.png', 'evil.png'],
    ['.hidden', 'hidden'],
    ['a\u0000b\nc.png', 'abc.png'],
    ['', 'file'],
    ['..', 'file'],
    [42, 'file'],
  ])('sanitizes %j → %j', (input, output) => {
    expect(sanitizeFilename(input)).toBe(output);
  });

  it('keeps the extension when truncating long names', () => {
    const name = sanitizeFilename(`${'a'.repeat(300)}.jpeg`);
    expect(name).toHaveLength(100);
    expect(name.endsWith('.jpeg')).toBe(true);
  });
});

describe('histogram and images', () => {
  it('reports percentiles within the bucket resolution', () => {
    const h = new LogHistogram();
    expect(h.percentile(0.5)).toBe(0);
    for (let i = 1; i <= 1000; i++) h.record(i);
    expect(h.percentile(0.5)).toBeGreaterThanOrEqual(480);
    expect(h.percentile(0.5)).toBeLessThanOrEqual(545);
    expect(h.percentile(0.99)).toBeGreaterThanOrEqual(960);
    h.record(10_000_000);
    expect(h.count).toBe(1001);
  });

  it('generates real, decodable, deterministic PNGs', () => {
    const bytes = encodePng(4, 3, (x, y) => [x * 10, y * 20, 255]);
    const decoded = PNG.sync.read(bytes);
    expect([decoded.width, decoded.height]).toEqual([4, 3]);
    expect([...decoded.data.subarray(0, 4)]).toEqual([0, 0, 255, 255]);
    expect(placeholderPng('p001').equals(placeholderPng('p001'))).toBe(true);
    expect(placeholderPng('p001').equals(placeholderPng('p002'))).toBe(false);
  });
});
