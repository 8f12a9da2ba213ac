/**
 * Draws a pending `wx.showModal` over a page screenshot. The simulator's screenshot is the page's
 * webview only (as DevTools' `miniProgram.screenshot()`); WeChat draws modals natively above it,
 * so the gallery composes one here in the weui v2 look, in its own headless Chromium.
 */
import { launchChromium } from '../../../simulator/src/render/chromium';
import type { LaunchedChromium } from '../../../simulator/src/render/chromium';

export interface ModalContent {
  title: string;
  content: string;
  showCancel: boolean;
  cancelText: string;
  confirmText: string;
}

export interface ModalPainter {
  paint(page: Buffer, modal: ModalContent, theme: 'light' | 'dark'): Promise<Buffer>;
  close(): Promise<void>;
}

const escape = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function html(background: string, modal: ModalContent): string {
  const buttons = [
    modal.showCancel ? `<div class="btn cancel">${escape(modal.cancelText || '取消')}</div>` : '',
    `<div class="btn confirm">${escape(modal.confirmText || '确定')}</div>`,
  ].join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  html, body { margin: 0; padding: 0; }
  body { width: 375px; font-family: 'WenQuanYi Micro Hei', sans-serif; }
  img { display: block; width: 375px; }
  .mask { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.6); }
  .dialog { position: fixed; left: 50%; top: 50%; transform: translate(-50%, -50%); width: 320px;
    background: var(--bg); border-radius: 12px; overflow: hidden; text-align: center; }
  .title { padding: 32px 24px 16px; font-size: 17px; font-weight: 700; color: var(--text); }
  .content { padding: 0 24px 32px; font-size: 17px; line-height: 1.4; color: var(--secondary); }
  .buttons { display: flex; border-top: 0.5px solid var(--line); }
  .btn { flex: 1; line-height: 56px; font-size: 17px; font-weight: 700; }
  .btn + .btn { border-left: 0.5px solid var(--line); }
  .cancel { color: var(--text); } .confirm { color: #576b95; }
  :root { --bg: #fff; --text: rgba(0,0,0,0.9); --secondary: rgba(0,0,0,0.5); --line: rgba(0,0,0,0.1); }
  @media (prefers-color-scheme: dark) { :root { --bg: #2c2c2c; --text: rgba(255,255,255,0.8);
    --secondary: rgba(255,255,255,0.5); --line: rgba(255,255,255,0.05); } .confirm { color: #7d90a9; } }
  </style></head><body><img src="${background}"><div class="mask"></div>
  <div class="dialog" role="dialog">
  ${modal.title ? `<div class="title">${escape(modal.title)}</div>` : ''}
  <div class="content">${escape(modal.content)}</div>
  <div class="buttons">${buttons}</div></div></body></html>`;
}

/** One Chromium for all modals of a run, started on first use. */
export function createModalPainter(size: { width: number; height: number; dpr: number }) {
  const browsers = new Map<string, Promise<LaunchedChromium>>();
  const painter: ModalPainter = {
    async paint(page, modal, theme) {
      let launching = browsers.get(theme);
      if (!launching) {
        launching = launchChromium({ ...size, colorScheme: theme });
        browsers.set(theme, launching);
      }
      const browser = await launching;
      const tab = await browser.context.newPage();
      try {
        await tab.setContent(html(`data:image/png;base64,${page.toString('base64')}`, modal));
        await tab.waitForFunction('document.images[0] && document.images[0].complete');
        return await tab.screenshot({ type: 'png' });
      } finally {
        await tab.close();
      }
    },
    async close() {
      const all = [...browsers.values()];
      browsers.clear();
      await Promise.allSettled(all.map(async (launching) => (await launching).close()));
    },
  };
  return painter;
}
