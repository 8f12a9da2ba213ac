import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageSize } from '../src/wx/image-size';
import { GALLERY, makeWx, promised } from './fixtures/wx/harness';

describe('imageSize', () => {
  test('reads PNG and JPEG fixtures', () => {
    expect(imageSize(fs.readFileSync(path.join(GALLERY, 'b-shot.png')))).toEqual({
      width: 20,
      height: 10,
      type: 'png',
    });
    expect(imageSize(fs.readFileSync(path.join(GALLERY, 'a-photo.jpg')))).toEqual({
      width: 16,
      height: 12,
      type: 'jpeg',
    });
  });

  test('reads GIF, WebP (VP8X) and BMP headers; rejects other bytes', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([7, 0, 5, 0])]);
    expect(imageSize(gif)).toEqual({ width: 7, height: 5, type: 'gif' });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0);
    webp.write('WEBP', 8);
    webp.write('VP8X', 12);
    webp.writeUIntLE(99, 24, 3);
    webp.writeUIntLE(49, 27, 3);
    expect(imageSize(webp)).toEqual({ width: 100, height: 50, type: 'webp' });
    const bmp = Buffer.alloc(26);
    bmp.write('BM', 0);
    bmp.writeInt32LE(3, 18);
    bmp.writeInt32LE(-4, 22);
    expect(imageSize(bmp)).toEqual({ width: 3, height: 4, type: 'bmp' });
    expect(imageSize(Buffer.from('not an image at all, really'))).toBeNull();
  });

  test('getImageInfo of a non-image fails; of a package file works', async () => {
    const h = makeWx();
    try {
      fs.writeFileSync(path.join(h.projectPath, 'note.txt'), 'text');
      fs.copyFileSync(path.join(GALLERY, 'b-shot.png'), path.join(h.projectPath, 'logo.png'));
      expect((await promised(h.wx.getImageInfo, { src: '/note.txt' })).res.errMsg).toBe(
        'getImageInfo:fail unsupported image format',
      );
      expect((await promised(h.wx.getImageInfo, { src: 'logo.png' })).res).toMatchObject({
        width: 20,
        height: 10,
      });
    } finally {
      h.close();
    }
  });
});

describe('dispose', () => {
  test('settles a pending authorize popup and a pending modal', async () => {
    const h = makeWx({ authorizeDefault: 'pending' });
    const popup = promised(h.wx.authorize, { scope: 'scope.camera' });
    const modal = promised(h.wx.showModal, { title: 'x' });
    await new Promise((resolve) => setImmediate(resolve));
    h.close();
    expect((await popup).res.errMsg).toBe('authorize:fail auth deny');
    expect((await modal).res.cancel).toBe(true);
  });
});
