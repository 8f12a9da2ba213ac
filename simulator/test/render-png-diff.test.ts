import { createRequire } from 'module';
import { diffPng } from '../src/render/png-diff';

interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}
const { PNG } = createRequire(__filename)('pngjs') as {
  PNG: { new (o: { width: number; height: number }): Rgba; sync: { write(p: Rgba): Buffer } };
};

function image(width: number, height: number, paint: (x: number, y: number) => number[]): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      png.data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return PNG.sync.write(png);
}

describe('diffPng', () => {
  const white = image(20, 10, () => [255, 255, 255]);

  it('finds no difference between equal images', () => {
    expect(
      diffPng(
        white,
        image(20, 10, () => [255, 255, 255]),
      ),
    ).toEqual({
      sameSize: true,
      width: 20,
      height: 10,
      differentPixels: 0,
      ratio: 0,
    });
  });

  it('counts changed pixels', () => {
    const block = image(20, 10, (x, y) => (x < 10 && y < 5 ? [255, 0, 0] : [255, 255, 255]));
    const diff = diffPng(white, block);
    expect(diff.differentPixels).toBe(50);
    expect(diff.ratio).toBe(0.25);
    // Within the tolerance: a 10-level shift of grey is not a difference.
    expect(
      diffPng(
        white,
        image(20, 10, () => [245, 245, 245]),
      ).differentPixels,
    ).toBe(0);
  });

  it('reports a size change instead of comparing', () => {
    expect(
      diffPng(
        white,
        image(10, 10, () => [255, 255, 255]),
      ),
    ).toMatchObject({
      sameSize: false,
      ratio: 1,
    });
  });

  it('throws on bytes that are not a PNG', () => {
    expect(() => diffPng(Buffer.from('nope'), white)).toThrow();
  });
});
