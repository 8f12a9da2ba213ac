/**
 * The README gallery: every page and state, in the order they are taken (each step starts from
 * what the previous one left). Steps drive the app the way the e2e specs do (harness flows and
 * waits, /__dev faults, device controls); content is deterministic: seeded products, a fixed
 * user, fixed chat texts, and clock texts pinned in the page data.
 */
import fs from 'fs';
import path from 'path';
import type Element from 'miniprogram-automator/out/Element';
import type Page from 'miniprogram-automator/out/Page';
import { ChatPeer } from '../harness/chat-peer';
import { openProducts, ROUTES, waitForBanner } from '../harness/flows';
import { go } from '../harness/nav';
import { waitFor, waitForData, waitForPage, waitForSelector } from '../harness/wait';
import type { GallerySession } from './session';

export interface ShotContext {
  readonly session: GallerySession;
  /** The current page as a PNG, once two renders in a row agree (images and layout settled). */
  capture(): Promise<Buffer>;
  /** Draws the simulated phone's pending wx.showModal over a page screenshot. */
  withModal(page: Buffer): Promise<Buffer>;
}

export interface Shot {
  /** `<nn>-<page>-<state>.png` in docs/screenshots/. */
  file: string;
  caption: string;
  /** Part of the quick visual check in `npm test` (content independent of timing). */
  quick: boolean;
  /**
   * False when the content depends on timing (measured latencies): `--check` prints its
   * difference but does not fail on it.
   */
  deterministic?: boolean;
  take(context: ShotContext): Promise<Buffer>;
}

const SAVE_SCOPE = 'scope.writePhotosAlbum';
const PINNED_CLOCK = '09:41';

type InputElement = Element & { input(value: string): Promise<void> };

async function typeInto(page: Page, selector: string, value: string): Promise<void> {
  const [field] = (await waitForSelector(page, selector)) as InputElement[];
  await field.input(value);
}

/** Chat rows carry the send time; pinning it keeps re-renders identical. */
async function pinChatClock(page: Page): Promise<void> {
  const messages = (await page.data('messages')) as Array<{ time?: string }>;
  const patch: Record<string, string> = {};
  messages.forEach((_, index) => (patch[`messages[${index}].time`] = PINNED_CLOCK));
  await page.setData(patch);
}

async function sendChat(page: Page, text: string): Promise<void> {
  await typeInto(page, '.chat-input', text);
  const [send] = (await waitForSelector(page, '.chat-send')) as Element[];
  await send.tap();
}

async function messageStatuses(page: Page): Promise<string[]> {
  const elements = (await page.$$('.chat-message')) as Element[];
  return Promise.all(elements.map((element) => element.attribute('data-status')));
}

/** Progress (0..100) of the first upload in the queue; -1 when there is none. */
async function uploadProgress(page: Page): Promise<number> {
  const bar = await page.$('.upload-progress');
  return bar ? Number(await bar.attribute('data-progress')) : -1;
}

async function resetPhone(session: GallerySession): Promise<void> {
  await session.backend.clearFaults();
  await session.device.setOnline();
}

export const SHOTS: Shot[] = [
  {
    file: '01-products-list.png',
    caption: 'Products: the seeded catalogue with prices and favourite toggles',
    quick: true,
    async take({ session, capture }) {
      await openProducts(session.mp);
      return capture();
    },
  },
  {
    file: '02-products-empty.png',
    caption: 'Products: a search with no match',
    quick: true,
    async take({ session, capture }) {
      const page = await openProducts(session.mp);
      await typeInto(page, '.search-input', 'zzz-无此商品');
      await waitForSelector(page, '.list-empty', { timeout: 8000 });
      const shot = await capture();
      await typeInto(page, '.search-input', '');
      await waitForSelector(page, '.product-item', { timeout: 8000 });
      return shot;
    },
  },
  {
    file: '03-products-error.png',
    caption: 'Products: the server fails (500) → error state with retry',
    quick: false,
    async take({ session, capture }) {
      await session.backend.addFault({
        match: { method: 'GET', pathPrefix: '/api/products' },
        action: { kind: 'status', status: 500 },
        count: 50,
      });
      // A first-ever launch: no cached list to fall back on.
      await session.device.clearStorage();
      const mp = await session.restartWithTheme('light');
      const page = await waitForPage(mp, ROUTES.products, { timeout: 8000 });
      await waitForData<string>(page, 'phase', (phase) => phase === 'error', { timeout: 15_000 });
      await waitForSelector(page, '.list-error');
      const shot = await capture();
      await resetPhone(session);
      return shot;
    },
  },
  {
    file: '04-products-offline.png',
    caption: 'Offline: the banner, and the list kept from the cache',
    quick: false,
    async take({ session, capture }) {
      const page = await go(session.mp, 'reLaunch', ROUTES.products);
      await waitForSelector(page, '.product-item', { timeout: 8000 });
      await session.device.setOffline();
      await waitForBanner(page, (banner) => banner?.mode === 'offline', 'offline');
      const shot = await capture();
      await session.device.setOnline();
      return shot;
    },
  },
  {
    file: '05-chat-states.png',
    caption: 'Chat: sent, sending (offline) and failed messages, with another user',
    quick: false,
    async take({ session, capture }) {
      const peer = await ChatPeer.connect(session.backend, 'galleryfriend');
      try {
        await peer.say('你好！今天的新品看了吗？');
        const page = await go(session.mp, 'switchTab', ROUTES.chat);
        await waitForData<string>(page, 'status', (status) => status === 'online', {
          timeout: 8000,
        });
        await sendChat(page, '看了，耳机不错！');
        await waitFor(async () => (await messageStatuses(page)).includes('sent'), {
          message: 'a sent message',
          timeout: 8000,
        });
        await session.device.setOffline();
        await sendChat(page, '这条发送失败了');
        await sendChat(page, '这条正在发送…');
        await waitFor(async () => (await messageStatuses(page)).includes('sending'), {
          message: 'a sending message',
        });
        // A send fails for real only after the outbox's 5-minute age limit; the failed row is
        // shown by setting its status, as the app does when that limit passes.
        const messages = (await page.data('messages')) as Array<{ status: string }>;
        const failed = messages.findIndex((message) => message.status === 'sending');
        await page.setData({ [`messages[${failed}].status`]: 'failed' });
        await pinChatClock(page);
        await waitForSelector(page, '.chat-retry');
        const shot = await capture();
        await session.device.setOnline();
        return shot;
      } finally {
        peer.close();
      }
    },
  },
  {
    file: '06-album-upload-progress.png',
    caption: 'Album: a resumable upload paused part-way (chunk uploads held by the server)',
    quick: false,
    async take({ session, capture }) {
      // One finished upload for the grid (and for the save-to-album shot after this one).
      const { token } = await session.backend.login(session.userKey);
      const photo = fs.readFileSync(path.join(session.state.fixturesDir, 'photo-2.png'));
      await session.backend.upload(token, 'photo-2.png', photo);
      const page = await go(session.mp, 'reLaunch', ROUTES.album);
      await waitForSelector(page, '.file-grid .file-item', { timeout: 8000 });
      await session.device.setNextChoose([path.basename(session.state.largeFixture)]);
      const [choose] = (await waitForSelector(page, '.choose-button')) as Element[];
      await choose.tap();
      await waitFor(async () => (await uploadProgress(page)) >= 20, {
        message: 'the upload past 20 %',
        timeout: 15_000,
      });
      // Hold every further chunk: the bar stops where the chunks in flight leave it.
      await session.backend.addFault({
        match: { method: 'PUT', pathPrefix: '/api/uploads/chunked/' },
        action: { kind: 'delay', ms: 60_000 },
        count: 1000,
      });
      let last = -1;
      await waitFor(
        async () => {
          const progress = await uploadProgress(page);
          const still = progress === last;
          last = progress;
          return still;
        },
        { message: 'the upload progress to hold', interval: 500, timeout: 10_000 },
      );
      const shot = await capture();
      const [cancel] = (await waitForSelector(page, '.upload-cancel')) as Element[];
      await cancel.tap();
      await session.backend.clearFaults();
      return shot;
    },
  },
  {
    file: '07-album-save-modal.png',
    caption: 'Album: saving needs the album permission → the explanation',
    quick: false,
    async take({ session, capture, withModal }) {
      const page = await go(session.mp, 'reLaunch', ROUTES.album);
      const [item] = (await waitForSelector(page, '.file-grid .file-item', {
        timeout: 8000,
      })) as Element[];
      await session.device.setScope(SAVE_SCOPE, 'denied');
      await session.device.setModalDefault('pending');
      const save = (await item.$('.save-button')) ?? (await page.$('.save-button'));
      if (!save) throw new Error('no .save-button on the first file');
      await save.tap();
      await waitFor(async () => (await session.device.history('showModal')).length > 0, {
        message: 'the permission explanation modal',
      });
      const shot = await withModal(await capture());
      await session.device.cancelModal();
      await session.device.setModalDefault('cancel');
      return shot;
    },
  },
  {
    file: '08-monitor-chart.png',
    caption: 'Network monitor: totals, latency chart, per-endpoint table',
    quick: false,
    // Bars and percentiles are the latencies this run measured.
    deterministic: false,
    async take({ session, capture }) {
      const page = await go(session.mp, 'navigateTo', ROUTES.monitor);
      await waitForSelector(page, '.latency-chart .latency-bar', { timeout: 8000 });
      return capture();
    },
  },
  {
    file: '09-product-detail.png',
    caption: 'Product detail',
    quick: true,
    async take({ session, capture }) {
      const list = await openProducts(session.mp);
      const [first] = (await waitForSelector(list, '.product-item')) as Element[];
      const id = await first.attribute('data-id');
      const page = await go(session.mp, 'navigateTo', `${ROUTES.detail}?id=${id}`);
      await waitFor(
        async () => (await (await page.$('.product-detail'))?.attribute('data-fresh')) === 'true',
        { message: 'the refreshed product', timeout: 8000 },
      );
      return capture();
    },
  },
  {
    file: '10-me.png',
    caption: 'Me: the user, language switch, monitor link, logout',
    // The avatar is drawn from the backend's user id, which differs between backends.
    quick: false,
    async take({ session, capture }) {
      const page = await go(session.mp, 'switchTab', ROUTES.me);
      await waitForSelector(page, '.user-name', { timeout: 8000 });
      await waitForData<{ nickname?: string } | null>(page, 'user', (user) => !!user?.nickname);
      return capture();
    },
  },
  {
    file: '11-login-failed.png',
    caption: 'Login: sign-in failed, in plain words, with retry',
    quick: false,
    async take({ session, capture }) {
      await session.backend.addFault({
        match: { method: 'POST', pathPrefix: '/api/auth/login' },
        action: { kind: 'status', status: 500 },
        count: 50,
      });
      await session.device.clearStorage();
      const page = await go(session.mp, 'reLaunch', ROUTES.login);
      await waitForData<string>(page, 'state', (state) => state === 'failed', { timeout: 15_000 });
      const shot = await capture();
      await session.backend.clearFaults();
      return shot;
    },
  },
  {
    file: '12-products-dark.png',
    caption: 'Dark mode: products',
    quick: true,
    async take({ session, capture }) {
      const mp = await session.restartWithTheme('dark');
      await openProducts(mp);
      return capture();
    },
  },
  {
    file: '13-chat-dark.png',
    caption: 'Dark mode: chat',
    quick: false,
    async take({ session, capture }) {
      const page = await go(session.mp, 'switchTab', ROUTES.chat);
      await waitForData<string>(page, 'status', (status) => status === 'online', {
        timeout: 8000,
      });
      await waitFor(async () => (await messageStatuses(page)).includes('sent'), {
        message: 'the chat history',
        timeout: 8000,
      });
      await pinChatClock(page);
      return capture();
    },
  },
];

export const SCREENSHOTS_DIR = path.resolve(__dirname, '..', '..', '..', 'docs', 'screenshots');

export function galleryFile(shot: Shot): string {
  return path.join(SCREENSHOTS_DIR, shot.file);
}
