/**
 * The gallery check's own parts: the fast PNG codec agrees with pngjs (run in a plain node child:
 * under jest pngjs takes seconds per screenshot), and the comparison sees a changed block while
 * an identical render passes.
 */
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { diffImage, diffPixels, MAX_DIFF_RATIO } from '../screenshots/compare';
import { decodePng, encodePng } from '../screenshots/png-codec';
import type { DecodedPng } from '../screenshots/png-codec';
import { SCREENSHOTS_DIR } from '../screenshots/shots';

const SAMPLE_FILE = path.join(SCREENSHOTS_DIR, '01-products-list.png');
const sample = fs.readFileSync(SAMPLE_FILE);

/** pngjs in a plain node process: [width, height, sha256 of the RGBA data] of each file. */
function pngjsDigests(files: string[]): Array<[number, number, string]> {
  const script = `
    const { PNG } = require('pngjs');
    const crypto = require('crypto');
    const fs = require('fs');
    const out = JSON.parse(process.argv[1]).map((file) => {
      const image = PNG.sync.read(fs.readFileSync(file));
      return [image.width, image.height, crypto.createHash('sha256').update(image.data).digest('hex')];
    });
    process.stdout.write(JSON.stringify(out));`;
  const output = execFileSync(process.execPath, ['-e', script, JSON.stringify(files)], {
    cwd: path.resolve(__dirname, '..', '..', '..'),
  });
  return JSON.parse(output.toString()) as Array<[number, number, string]>;
}

function digest(image: DecodedPng): [number, number, string] {
  const hash = crypto.createHash('sha256').update(image.pixels).digest('hex');
  return [image.width, image.height, hash];
}

function gradient(width: number, height: number): DecodedPng {
  const pixels = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    pixels.set([(p * 7) % 256, (p * 13) % 256, (p >> 3) % 256, p % 2 ? 255 : 128], p * 4);
  }
  return { width, height, pixels };
}

test('decodes every gallery screenshot exactly as pngjs does', () => {
  const files = fs
    .readdirSync(SCREENSHOTS_DIR)
    .filter((name) => name.endsWith('.png'))
    .map((name) => path.join(SCREENSHOTS_DIR, name));
  expect(files.length).toBeGreaterThan(0);
  const expected = pngjsDigests(files);
  expect(files.map((file) => digest(decodePng(fs.readFileSync(file))))).toEqual(expected);
  expect(expected[0].slice(0, 2)).toEqual([750, 1206]);
});

test('what encodePng writes, pngjs and decodePng read back unchanged', () => {
  const image = gradient(37, 23);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'png-')), 'g.png');
  fs.writeFileSync(file, encodePng(image));
  expect(pngjsDigests([file])).toEqual([digest(image)]);
  expect(digest(decodePng(fs.readFileSync(file)))).toEqual(digest(image));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('rejects bytes that are not a PNG, and pixels that do not fit the size', () => {
  expect(() => decodePng(Buffer.from('not a png at all'))).toThrow('not a PNG');
  expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(3) })).toThrow('RGBA');
});

test('an identical render differs in no pixel', () => {
  expect(diffPixels(sample, Buffer.from(sample)).ratio).toBe(0);
});

test('a changed block is counted, and drawn red in the diff image', () => {
  const image = decodePng(sample);
  const changed = Uint8Array.from(image.pixels);
  // 120 × 120 px turned black at (100, 100): at most 14400 of 904500 pixels ≈ 1.6 %.
  for (let y = 100; y < 220; y++) changed.fill(0, (y * 750 + 100) * 4, (y * 750 + 220) * 4);
  const diff = diffPixels(sample, encodePng({ ...image, pixels: changed }));
  expect(diff.ratio).toBeGreaterThan(MAX_DIFF_RATIO);
  expect(Math.round(diff.ratio * 750 * 1206)).toBeLessThanOrEqual(14400);
  const drawn = decodePng(diffImage(sample, diff));
  const at = (x: number, y: number) =>
    Array.from(drawn.pixels.subarray((y * 750 + x) * 4, (y * 750 + x) * 4 + 4));
  expect(at(150, 150)).toEqual([255, 0, 0, 255]);
  expect(at(5, 5)).not.toEqual([255, 0, 0, 255]);
});

test('a different size is a full difference', () => {
  const diff = diffPixels(sample, encodePng(gradient(10, 10)));
  expect(diff.sameSize).toBe(false);
  expect(diff.ratio).toBe(1);
});
