import { createRequire } from 'module';

/** Decoded RGBA image (pngjs' shape). */
interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}

// pngjs ships no typings for this project's set-up: the call used, typed here.
const load = createRequire(__filename);
const { PNG } = load('pngjs') as { PNG: { sync: { read(b: Buffer): Rgba } } };

export interface PngDiff {
  /** False when the sizes differ (then nothing else is compared). */
  sameSize: boolean;
  width: number;
  height: number;
  differentPixels: number;
  /** differentPixels / all pixels (1 when the sizes differ). */
  ratio: number;
}

/**
 * Compares two screenshots (e.g. a README gallery image and a fresh render). A pixel differs when
 * any channel differs by more than `threshold` of the full range (0..1, default 0.1), which lets
 * slight rasterisation noise through. Throws on bytes that are not PNG. (pixelmatch is ESM-only,
 * which jest on Node 20 cannot load, hence this small comparison.)
 */
export function diffPng(expected: Buffer, actual: Buffer, threshold = 0.1): PngDiff {
  const a = PNG.sync.read(expected);
  const b = PNG.sync.read(actual);
  if (a.width !== b.width || a.height !== b.height) {
    return { sameSize: false, width: b.width, height: b.height, differentPixels: 0, ratio: 1 };
  }
  const limit = Math.max(0, Math.min(1, threshold)) * 255;
  let differentPixels = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 4; c++) {
      if (Math.abs(a.data[i + c] - b.data[i + c]) > limit) {
        differentPixels++;
        break;
      }
    }
  }
  return {
    sameSize: true,
    width: a.width,
    height: a.height,
    differentPixels,
    ratio: differentPixels / (a.width * a.height),
  };
}
