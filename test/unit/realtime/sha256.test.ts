import { Sha256, sha256Hex } from '../../../miniprogram/utils/sha256';

// Node's crypto as the reference for random inputs (the unit tsconfig has no node types).
declare const require: (id: 'crypto') => {
  createHash(algorithm: 'sha256'): {
    update(data: Uint8Array): { digest(encoding: 'hex'): string };
  };
};
const nodeCrypto = require('crypto');

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('Sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('matches the FIPS 180-4 vector for %j', (text, hex) => {
    expect(sha256Hex(ascii(text))).toBe(hex);
  });

  it('hashes one million "a" fed in uneven slices', () => {
    const hash = new Sha256();
    const slice = ascii('a'.repeat(999));
    let left = 1_000_000;
    while (left > 0) {
      const take = Math.min(left, slice.length);
      hash.update(slice.subarray(0, take));
      left -= take;
    }
    expect(hash.hex()).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with node crypto at every padding boundary and for any split', () => {
    for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097]) {
      const data = randomBytes(length, length);
      const expected = nodeCrypto.createHash('sha256').update(data).digest('hex');
      expect(sha256Hex(data)).toBe(expected);
      const split = new Sha256();
      let offset = 0;
      for (let step = 1; offset < length; step = (step * 7) % 97 || 1) {
        split.update(data.buffer.slice(offset, Math.min(length, offset + step)) as ArrayBuffer);
        offset += step;
      }
      expect(split.hex()).toBe(expected);
    }
  });

  it('digest is stable and update after digest throws', () => {
    const hash = new Sha256().update(ascii('abc'));
    expect(hash.hex()).toBe(hash.hex());
    expect(() => hash.update(ascii('d'))).toThrow(/after digest/);
  });
});
