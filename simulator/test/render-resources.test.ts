import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { findChromium } from '../src/render/chromium';
import { createRenderer, type Renderer } from '../src/render/renderer';
import { resolveImageUrl } from '../src/render/resources';
import { FIXTURE_DIR } from './fixtures/render/harness';
import { readPng, rgbAt } from './fixtures/render/png';

jest.setTimeout(60_000);

const DOT = fs.readFileSync(path.join(FIXTURE_DIR, 'images', 'dot.png'));

describe('renderer resources: loopback, wx temp files, closed network', () => {
  let server: http.Server;
  let origin: string;
  let tempDir: string;
  let renderer: Renderer;
  const served: string[] = [];

  beforeAll(async () => {
    findChromium();
    server = http.createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/slow.png') return; // never answers: the render must not wait for it
      res.writeHead(200, { 'content-type': 'image/png' }).end(DOT);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-tmp-'));
    fs.writeFileSync(path.join(tempDir, 'wxabc.png'), DOT);
    renderer = createRenderer({
      projectPath: FIXTURE_DIR,
      height: 200,
      resolveWxFile: (wxPath) => {
        if (!wxPath.startsWith('http://tmp/')) throw new Error('outside');
        return path.join(tempDir, wxPath.slice('http://tmp/'.length));
      },
    });
  });

  afterAll(async () => {
    await renderer?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  });

  const image = (src: string, left: number) =>
    `<wx-image style="position:absolute;top:0;left:${left}px;width:40px;height:40px">` +
    `<img src="${resolveImageUrl(src, 'pages/index/index')}"></wx-image>`;

  it('loads backend images over loopback and temp files through resolveWxFile', async () => {
    await renderer.render({
      html:
        image(`${origin}/img/a.png`, 0) +
        image('http://tmp/wxabc.png', 50) +
        image('/images/dot.png', 100),
    });
    const png = readPng(await renderer.screenshot());
    expect(rgbAt(png, 40, 40)).toEqual([255, 0, 255]);
    expect(rgbAt(png, 140, 40)).toEqual([255, 0, 255]);
    expect(rgbAt(png, 240, 40)).toEqual([255, 0, 255]);
    expect(served).toContain('/img/a.png');
  });

  it('refuses other hosts at once and files outside the project, without hanging', async () => {
    const started = Date.now();
    await renderer.render({
      html:
        image('https://tdesign.gtimg.com/icon/x.png', 0) +
        image('wxfile://usr/refused.png', 50) +
        image('/../../etc/hostname', 100),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    const png = readPng(await renderer.screenshot());
    // Broken images leave the (white) background.
    expect(rgbAt(png, 40, 40)).toEqual([255, 255, 255]);
    expect(rgbAt(png, 140, 40)).toEqual([255, 255, 255]);
    expect(rgbAt(png, 240, 40)).toEqual([255, 255, 255]);
  });

  it('shows the page without an image whose server never answers (after a short wait)', async () => {
    const started = Date.now();
    await renderer.render({ html: image(`${origin}/slow.png`, 0) + '<p>text</p>' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(served).toContain('/slow.png');
    expect(await renderer.windowProperties(['document.body.innerText'])).toEqual(['text']);
  });
});
