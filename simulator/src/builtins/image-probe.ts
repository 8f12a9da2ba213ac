import fs from 'fs';
import http from 'http';
import https from 'https';

export interface ImageSize {
  width: number;
  height: number;
}

/** Width/height from a PNG, GIF or JPEG header; null when the bytes are no image we know. */
export function imageSize(bytes: Buffer): ImageSize | null {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && bytes.toString('ascii', 0, 3) === 'GIF') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return null;
      const marker = bytes[offset + 1];
      const length = bytes.readUInt16BE(offset + 2);
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
      }
      offset += 2 + length;
    }
    return null;
  }
  if (
    bytes.length >= 30 &&
    bytes.toString('ascii', 0, 4) === 'RIFF' &&
    bytes.toString('ascii', 8, 12) === 'WEBP'
  ) {
    return { width: 0, height: 0 };
  }
  if (bytes.toString('utf8', 0, Math.min(bytes.length, 200)).includes('<svg'))
    return { width: 0, height: 0 };
  return null;
}

/** Loads a local file or fetches an http(s) url (5 s limit) and reads its size. */
export function probeImage(source: { file?: string; url?: string }): Promise<ImageSize> {
  if (source.file) {
    return fs.promises.readFile(source.file).then((bytes) => {
      const size = imageSize(bytes);
      if (!size) throw new Error('not an image');
      return size;
    });
  }
  const url = source.url as string;
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { timeout: 5000 }, (response) => {
      if ((response.statusCode ?? 0) >= 400) {
        response.resume();
        reject(new Error(`${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const size = imageSize(Buffer.concat(chunks));
        if (size) resolve(size);
        else reject(new Error('not an image'));
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}
