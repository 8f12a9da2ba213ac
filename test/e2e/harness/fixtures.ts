/**
 * Fixture images for chooseMedia: the small committed ones (test/fixtures/e2e) plus a large PNG
 * generated per run for the resumable upload (too big to commit; deterministic bytes).
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import { REPO_ROOT } from './build-app';

export const SMALL_FIXTURES = ['photo-1.jpg', 'photo-2.png'];
export const LARGE_FIXTURE = 'large-photo.png';
/** Noise does not compress: about side² × 3 bytes ≈ 5 MB, above the app's 4 MB resumable threshold. */
const LARGE_SIDE = 1300;

export function prepareFixtures(targetDir: string): void {
  fs.mkdirSync(targetDir, { recursive: true });
  for (const name of SMALL_FIXTURES) {
    fs.copyFileSync(
      path.join(REPO_ROOT, 'test', 'fixtures', 'e2e', name),
      path.join(targetDir, name),
    );
  }
  fs.writeFileSync(path.join(targetDir, LARGE_FIXTURE), noisePng(LARGE_SIDE, 7));
}

/** A truecolour PNG of deterministic noise (xorshift32); noise does not compress. */
function noisePng(side: number, seed: number): Buffer {
  const rowBytes = side * 3;
  const raw = Buffer.alloc((rowBytes + 1) * side);
  let state = seed >>> 0;
  for (let y = 0; y < side; y++) {
    const row = y * (rowBytes + 1);
    raw[row] = 0; // filter: none
    for (let x = 1; x <= rowBytes; x++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      raw[row + x] = state & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
