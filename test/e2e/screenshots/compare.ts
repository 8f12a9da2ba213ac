/**
 * Gallery image vs fresh render with pixelmatch (threshold 0.1, anti-aliased pixels not counted)
 * and pngjs. The image is stale when more than 1 % of its pixels differ; same machine and fonts
 * give 0. pixelmatch 7 is ESM-only, which jest on Node 20 cannot load (and pngjs runs ~50× slower
 * inside jest's sandbox), so the spec runs this module in a plain node child (compare-cli.ts).
 */
import fs from 'fs';
import { createRequire } from 'module';
import path from 'path';
import { REPO_ROOT } from '../harness/build-app';

export const PIXEL_THRESHOLD = 0.1;
export const MAX_DIFF_RATIO = 0.01;
export const DIFF_DIR = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');

interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}
interface PngModule {
  PNG: { sync: { read(bytes: Buffer): Rgba; write(image: Rgba): Buffer } };
}
type Pixelmatch = (
  a: Uint8Array,
  b: Uint8Array,
  out: Uint8Array | null,
  width: number,
  height: number,
  options: { threshold: number },
) => number;

const { PNG } = createRequire(__filename)('pngjs') as PngModule;
// A real dynamic import (esbuild/swc would turn `import()` into require, which cannot load ESM).
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: Pixelmatch }>;

export interface ImageDiff {
  sameSize: boolean;
  width: number;
  height: number;
  differentPixels: number;
  /** differentPixels / all pixels; 1 when the sizes differ. */
  ratio: number;
  /** The differences in red over a faded copy (same size only). */
  diffPng?: Buffer;
}

export async function diffImages(expected: Buffer, actual: Buffer): Promise<ImageDiff> {
  const a = PNG.sync.read(expected);
  const b = PNG.sync.read(actual);
  if (a.width !== b.width || a.height !== b.height) {
    return { sameSize: false, width: b.width, height: b.height, differentPixels: 0, ratio: 1 };
  }
  const { default: pixelmatch } = await importEsm('pixelmatch');
  const out = Buffer.alloc(a.data.length);
  const differentPixels = pixelmatch(a.data, b.data, out, a.width, a.height, {
    threshold: PIXEL_THRESHOLD,
  });
  return {
    sameSize: true,
    width: a.width,
    height: a.height,
    differentPixels,
    ratio: differentPixels / (a.width * a.height),
    diffPng: PNG.sync.write({ width: a.width, height: a.height, data: out }),
  };
}

export interface Comparison {
  file: string;
  ok: boolean;
  ratio: number;
  message: string;
}

/**
 * Compares a fresh render with docs/screenshots/<file>; when it is stale, the fresh render and
 * the diff go to test-artifacts/screenshots/.
 */
export async function compareWithGallery(
  galleryPath: string,
  actual: Buffer,
  diffDir = DIFF_DIR,
): Promise<Comparison> {
  const file = path.basename(galleryPath);
  if (!fs.existsSync(galleryPath)) {
    return { file, ok: false, ratio: 1, message: `${file}: missing; run npm run screenshots` };
  }
  const diff = await diffImages(fs.readFileSync(galleryPath), actual);
  const percent = (diff.ratio * 100).toFixed(3);
  if (diff.sameSize && diff.ratio <= MAX_DIFF_RATIO) {
    return { file, ok: true, ratio: diff.ratio, message: `${file}: ${percent} % of pixels differ` };
  }
  fs.mkdirSync(diffDir, { recursive: true });
  const base = file.replace(/\.png$/, '');
  fs.writeFileSync(path.join(diffDir, `${base}-actual.png`), actual);
  if (diff.diffPng) fs.writeFileSync(path.join(diffDir, `${base}-diff.png`), diff.diffPng);
  const reason = diff.sameSize
    ? `${percent} % of pixels differ (limit ${MAX_DIFF_RATIO * 100} %)`
    : `size changed to ${diff.width}×${diff.height}`;
  return {
    file,
    ok: false,
    ratio: diff.ratio,
    message:
      `${file}: stale, ${reason}; fresh render and diff in ${diffDir} ` +
      '(npm run screenshots re-renders the gallery)',
  };
}
