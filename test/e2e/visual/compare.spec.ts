/**
 * The gallery comparison itself (compare.ts through its node child, as the gallery check runs
 * it): identical and nearly identical renders pass, a changed block or size fails with its fresh
 * render and diff written, a missing gallery image fails.
 */
import fs from 'fs';
import { createRequire } from 'module';
import os from 'os';
import path from 'path';
import { compareInChild } from '../screenshots/compare-child';

interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}
const { PNG } = createRequire(__filename)('pngjs') as {
  PNG: { sync: { write(image: Rgba): Buffer } };
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-compare-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A white width × height PNG with black squares [x, y, side]. */
function image(name: string, width: number, height: number, squares: number[][] = []): string {
  const data = Buffer.alloc(width * height * 4, 255);
  for (const [x0, y0, side] of squares) {
    for (let y = y0; y < y0 + side; y++) {
      for (let x = x0; x < x0 + side; x++) data.set([0, 0, 0, 255], (y * width + x) * 4);
    }
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, PNG.sync.write({ width, height, data }));
  return file;
}

test('judges identical, noisy, changed, resized and missing images', async () => {
  const gallery = image('shot.png', 100, 100, [[10, 10, 8]]);
  const diffDir = path.join(dir, 'diffs');
  const [same, noise, changed, resized, missing] = await compareInChild({
    pairs: [
      { gallery, actual: image('same.png', 100, 100, [[10, 10, 8]]) },
      // One extra pixel of 10 000: rasterisation noise, well under 1 %.
      {
        gallery,
        actual: image('noise.png', 100, 100, [
          [10, 10, 8],
          [60, 60, 1],
        ]),
      },
      // A 20 × 20 block: 4 % of the pixels.
      {
        gallery,
        actual: image('changed.png', 100, 100, [
          [10, 10, 8],
          [50, 50, 20],
        ]),
      },
      { gallery, actual: image('resized.png', 100, 120, [[10, 10, 8]]) },
      { gallery: path.join(dir, 'absent.png'), actual: gallery },
    ],
    diffDir,
  });
  expect(same).toMatchObject({ ok: true, ratio: 0 });
  expect(noise.ok).toBe(true);
  expect(noise.ratio).toBeCloseTo(0.0001, 6);
  expect(changed.ok).toBe(false);
  expect(changed.ratio).toBeCloseTo(0.04, 6);
  expect(changed.message).toMatch(/4\.000 % of pixels differ/);
  expect(fs.existsSync(path.join(diffDir, 'shot-diff.png'))).toBe(true);
  expect(fs.existsSync(path.join(diffDir, 'shot-actual.png'))).toBe(true);
  expect(resized).toMatchObject({ ok: false, ratio: 1 });
  expect(resized.message).toMatch(/size changed to 100×120/);
  expect(missing).toMatchObject({ ok: false });
  expect(missing.message).toMatch(/missing/);
});
