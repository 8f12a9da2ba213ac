/**
 * Gallery image vs fresh render. pixelmatch 7 is ESM-only, which jest on Node 20 cannot load, and
 * the spec and the capture script must judge alike, so the comparison is the one of
 * simulator/src/render/png-diff.ts (diffPng), on pixels decoded by png-codec.ts (fast under jest).
 * A pixel differs when a channel moves by more than 10 % of its range;
 * the image is stale when more than 1 % of its pixels differ (anti-aliasing noise stays far
 * below: same machine, same fonts → 0).
 */
import fs from 'fs';
import path from 'path';
import { REPO_ROOT } from '../harness/build-app';
import { decodePng, encodePng } from './png-codec';
import { galleryFile } from './shots';
import type { Shot } from './shots';

export const PIXEL_THRESHOLD = 0.1;
export const MAX_DIFF_RATIO = 0.01;
export const DIFF_DIR = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');

export interface Comparison {
  ok: boolean;
  ratio: number;
  message: string;
  /** Written when the images differ too much. */
  diffFile?: string;
}

interface PixelDiff {
  sameSize: boolean;
  width: number;
  height: number;
  ratio: number;
  /** 1 where a pixel differs (same size only). */
  mask: Uint8Array;
}

export function diffPixels(
  expected: Buffer,
  actual: Buffer,
  threshold = PIXEL_THRESHOLD,
): PixelDiff {
  const a = decodePng(expected);
  const b = decodePng(actual);
  if (a.width !== b.width || a.height !== b.height) {
    return { sameSize: false, width: b.width, height: b.height, ratio: 1, mask: new Uint8Array() };
  }
  const limit = Math.max(0, Math.min(1, threshold)) * 255;
  const mask = new Uint8Array(a.width * a.height);
  let different = 0;
  for (let p = 0, i = 0; p < mask.length; p++, i += 4) {
    if (
      Math.abs(a.pixels[i] - b.pixels[i]) > limit ||
      Math.abs(a.pixels[i + 1] - b.pixels[i + 1]) > limit ||
      Math.abs(a.pixels[i + 2] - b.pixels[i + 2]) > limit ||
      Math.abs(a.pixels[i + 3] - b.pixels[i + 3]) > limit
    ) {
      mask[p] = 1;
      different++;
    }
  }
  return { sameSize: true, width: a.width, height: a.height, ratio: different / mask.length, mask };
}

/** The changed pixels in red over a faded copy of the gallery image (sizes must match). */
export function diffImage(expected: Buffer, diff: PixelDiff): Buffer {
  const { pixels } = decodePng(expected);
  const out = new Uint8Array(pixels.length);
  for (let p = 0, i = 0; p < diff.mask.length; p++, i += 4) {
    const grey = 255 - (255 - (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3) * 0.3;
    out.set(diff.mask[p] ? [255, 0, 0, 255] : [grey, grey, grey, 255], i);
  }
  return encodePng({ width: diff.width, height: diff.height, pixels: out });
}

export function compareWithGallery(shot: Shot, actual: Buffer): Comparison {
  const file = galleryFile(shot);
  if (!fs.existsSync(file)) {
    return { ok: false, ratio: 1, message: `${shot.file}: missing; run npm run screenshots` };
  }
  const expected = fs.readFileSync(file);
  const diff = diffPixels(expected, actual, PIXEL_THRESHOLD);
  const percent = (diff.ratio * 100).toFixed(3);
  if (diff.sameSize && diff.ratio <= MAX_DIFF_RATIO) {
    return { ok: true, ratio: diff.ratio, message: `${shot.file}: ${percent} % of pixels differ` };
  }
  fs.mkdirSync(DIFF_DIR, { recursive: true });
  const base = shot.file.replace(/\.png$/, '');
  fs.writeFileSync(path.join(DIFF_DIR, `${base}-actual.png`), actual);
  const diffFile = path.join(DIFF_DIR, `${base}-diff.png`);
  if (diff.sameSize) fs.writeFileSync(diffFile, diffImage(expected, diff));
  const reason = diff.sameSize
    ? `${percent} % of pixels differ (limit ${MAX_DIFF_RATIO * 100} %)`
    : `size changed to ${diff.width}×${diff.height}`;
  return {
    ok: false,
    ratio: diff.ratio,
    message:
      `${shot.file}: stale, ${reason}; fresh render and diff in ${DIFF_DIR} ` +
      '(npm run screenshots re-renders the gallery)',
    diffFile: diff.sameSize ? diffFile : undefined,
  };
}
