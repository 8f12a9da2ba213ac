/**
 * A small PNG decoder for screenshots (8-bit RGB/RGBA, not interlaced: what Chromium writes,
 * pngjs for anything else) and an RGBA encoder for diff images. WHY: under jest, pngjs decodes a 750 × 1206 screenshot in ~4 s
 * (every Buffer it touches was made outside jest's sandbox realm, and indexing those is slow);
 * zlib plus an unfilter loop over typed arrays of this realm takes a few ms.
 */
import { createRequire } from 'module';
import zlib from 'zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom. */
  pixels: Uint8Array;
}

interface PngModule {
  PNG: { sync: { read(bytes: Buffer): { width: number; height: number; data: Buffer } } };
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A view of this realm over a Buffer's memory (no copy). */
function view(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function decodePng(bytes: Buffer): DecodedPng {
  if (bytes.length < 8 || SIGNATURE.some((byte, i) => bytes[i] !== byte)) {
    throw new Error('not a PNG file');
  }
  let offset = 8;
  let header: { width: number; height: number; depth: number; type: number; interlace: number };
  header = { width: 0, height: 0, depth: 0, type: 0, interlace: 0 };
  const data: Buffer[] = [];
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8],
        type: body[9],
        interlace: body[12],
      };
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const channels = header.type === 6 ? 4 : header.type === 2 ? 3 : 0;
  if (header.depth !== 8 || channels === 0 || header.interlace !== 0) return viaPngjs(bytes);
  const raw = view(zlib.inflateSync(Buffer.concat(data)));
  const { width, height } = header;
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new Error('PNG image data is truncated');
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? rows[row + x - channels] : 0;
      const up = y > 0 ? rows[row - stride + x] : 0;
      const upLeft = y > 0 && x >= channels ? rows[row - stride + x - channels] : 0;
      rows[row + x] = (raw[source + x] + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  if (channels === 4) return { width, height, pixels: rows };
  const pixels = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    pixels[p * 4] = rows[p * 3];
    pixels[p * 4 + 1] = rows[p * 3 + 1];
    pixels[p * 4 + 2] = rows[p * 3 + 2];
    pixels[p * 4 + 3] = 255;
  }
  return { width, height, pixels };
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const toLeft = Math.abs(estimate - left);
      const toUp = Math.abs(estimate - up);
      const toUpLeft = Math.abs(estimate - upLeft);
      if (toLeft <= toUp && toLeft <= toUpLeft) return left;
      return toUp <= toUpLeft ? up : upLeft;
    }
    default:
      throw new Error(`PNG row filter ${filter} is not valid`);
  }
}

function viaPngjs(bytes: Buffer): DecodedPng {
  const { PNG } = createRequire(__filename)('pngjs') as PngModule;
  const image = PNG.sync.read(bytes);
  return { width: image.width, height: image.height, pixels: Uint8Array.from(image.data) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(view(Buffer.concat([head.subarray(4), body]))), 0);
  return Buffer.concat([head, body, crc]);
}

/** RGBA pixels → PNG (8-bit RGBA, no row filter: diff images are mostly flat colour). */
export function encodePng(image: DecodedPng): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4)
    throw new Error('encodePng: pixels are not width × height RGBA');
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++)
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
