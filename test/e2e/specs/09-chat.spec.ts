/**
 * Scenario 9: chat — history on entry, sending → sent, a message from a second client appears,
 * and messages typed while the backend has dropped the socket arrive once each, in order.
 */
import type Element from 'miniprogram-automator/out/Element';
import type Page from 'miniprogram-automator/out/Page';
import type { ChatHistory } from '../../../typings/api';
import { ChatPeer } from '../harness/chat-peer';
import { ROUTES } from '../harness/flows';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor, waitForSelector, waitForText } from '../harness/wait';

const e2e = useE2e();
let peer: ChatPeer | undefined;
afterAll(() => peer?.close());

interface Bubble {
  text: string;
  status: string;
}

async function bubbles(page: Page): Promise<Bubble[]> {
  const elements = (await page.$$('.chat-message')) as Element[];
  return Promise.all(
    elements.map(async (element) => ({
      text: await element.text(),
      status: await element.attribute('data-status'),
    })),
  );
}

type InputLike = Element & { input(value: string): Promise<void> };

/** The native input behind `.chat-input` (itself, or inside a component). */
async function chatInput(page: Page): Promise<InputLike> {
  const [field] = await waitForSelector(page, '.chat-input');
  const input =
    field.tagName === 'input' || field.tagName === 'textarea'
      ? field
      : ((await field.$('input')) ?? (await field.$('textarea')));
  if (!input) throw new Error('.chat-input has no input inside');
  return input as InputLike;
}

async function typeAndSend(page: Page, text: string): Promise<void> {
  await (await chatInput(page)).input(text);
  const [send] = await waitForSelector(page, '.chat-send');
  await send.tap();
}

function statusOf(all: Bubble[], text: string): string | undefined {
  return all.find((bubble) => bubble.text.includes(text))?.status;
}

scenario(
  '9. chat: history, sending → sent, a peer message, exactly-once delivery after a drop',
  async () => {
    const run = Date.now().toString(36);
    peer = await ChatPeer.connect(e2e.backend, 'e2e-peer');
    const { token: peerToken } = await e2e.backend.login('e2e-peer');
    const earlier = `history-${run}`;
    await peer.say(earlier);

    // History on entry.
    const page = await go(e2e.mp, 'switchTab', ROUTES.chat);
    await waitForText(page, '.chat-message', earlier, { timeout: 8000 });
    await waitForText(page, '.chat-status', /./);

    // Sending → sent (acked by the server), and the peer receives it.
    const hello = `hello-${run}`;
    await typeAndSend(page, hello);
    const seen = await waitFor(async () => statusOf(await bubbles(page), hello), {
      message: `"${hello}" on screen`,
    });
    expect(['sending', 'sent']).toContain(seen);
    await waitFor(async () => statusOf(await bubbles(page), hello) === 'sent', {
      message: `"${hello}" to be sent`,
    });
    await waitFor(() => peer!.texts().includes(hello), { message: 'the peer to receive it' });
    // The input is cleared.
    expect(await (await chatInput(page)).value()).toBe('');

    // A message from the second client appears.
    const fromPeer = `from-peer-${run}`;
    await peer.say(fromPeer);
    await waitForText(page, '.chat-message', fromPeer);

    // The backend drops every chat socket (the peer's too); the reconnect is held back (socket opens are slow on
    // this network) so the messages typed meanwhile wait in the outbox as "sending".
    await e2e.device.setNetwork({ latencyMs: 1500 });
    await e2e.backend.dropChatSockets();
    const meanwhile = [1, 2, 3].map((n) => `meanwhile-${n}-${run}`);
    for (const text of meanwhile) await typeAndSend(page, text);
    const queued = await bubbles(page);
    for (const text of meanwhile) expect(statusOf(queued, text)).toBe('sending');
    await e2e.device.setNetwork({ latencyMs: 0 });

    await waitFor(
      async () => {
        const all = await bubbles(page);
        return meanwhile.every((text) => statusOf(all, text) === 'sent');
      },
      { message: 'the messages typed while disconnected to be sent', timeout: 10_000 },
    );
    // Exactly once and in order: in the room's history on the backend and on screen.
    const history = await e2e.backend.as<ChatHistory>(
      peerToken,
      'GET',
      '/api/chat/messages?limit=100',
    );
    const stored = history.messages
      .map((message) => message.text)
      .filter((text) => text.endsWith(run) && text.startsWith('meanwhile-'));
    expect(stored).toEqual(meanwhile);
    const shown = (await bubbles(page))
      .map((bubble) => meanwhile.find((text) => bubble.text.includes(text)))
      .filter(Boolean);
    expect(shown).toEqual(meanwhile);
  },
  30_000,
);
