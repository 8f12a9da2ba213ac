import { setApiHttp } from '../../../miniprogram/api/client';
import {
  CHAT_TEXT_LIMIT,
  ChatController,
  INITIAL_CHAT_DATA,
} from '../../../miniprogram/pages/chat/controller';
import type { ChatEvent, ChatPort } from '../../../miniprogram/services/ports';
import { AppError } from '../../../miniprogram/utils/errors';
import type { ChatMessage } from '../../../typings/api';
import { fakeHttp, fakeView, settle } from './page-fakes';

function fakeChat() {
  const listeners = new Set<(event: ChatEvent) => void>();
  let holders = 0;
  let counter = 0;
  const sent: string[] = [];
  const retried: string[] = [];
  const chat: ChatPort = {
    status: 'connecting',
    acquire() {
      holders += 1;
      return () => {
        holders -= 1;
      };
    },
    send(text) {
      sent.push(text);
      counter += 1;
      return `c${counter}`;
    },
    retry(clientId) {
      retried.push(clientId);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    chat,
    sent,
    retried,
    emit: (event: ChatEvent) => listeners.forEach((listener) => listener(event)),
    holders: () => holders,
    listenerCount: () => listeners.size,
  };
}

const message = (id: number, from: string, text: string, clientId?: string): ChatMessage => ({
  id,
  from: { id: from, nickname: from },
  text,
  at: id * 1000,
  clientId,
});

function setup() {
  const http = fakeHttp();
  setApiHttp(http);
  const fake = fakeChat();
  const view = fakeView(INITIAL_CHAT_DATA);
  const controller = new ChatController(view, {
    chat: fake.chat,
    myUserId: () => 'me',
    myNickname: () => 'Me',
    now: () => 5000,
  });
  return { http, fake, view, controller };
}

describe('ChatController', () => {
  it('loads history on entry, shows the status and sticks to the bottom', async () => {
    const t = setup();
    void t.controller.start();
    expect(t.view.data.status).toBe('connecting');
    expect(t.view.data.historyState).toBe('loading');
    expect(t.http.calls[0].options).toMatchObject({
      url: '/api/chat/messages',
      params: { limit: 30 },
      // The page shows a failed history itself: one message, no toast on top.
      skipErrorHandler: true,
    });
    t.http.calls[0].resolve({ messages: [message(1, 'bob', 'hi')], hasMore: false });
    await settle();
    expect(t.view.data.historyState).toBe('ready');
    expect(t.view.data.messages[0]).toMatchObject({ text: 'hi', status: 'sent', mine: false });
    expect(t.view.data.messages[0].time).toMatch(/^\d\d:\d\d$/);
    expect(t.view.data.scrollTop).toBeGreaterThan(0);
    t.fake.emit({ type: 'status', status: 'online' });
    expect(t.view.data.status).toBe('online');
  });

  it('marks the history as failed and loads it again on retry', async () => {
    const t = setup();
    void t.controller.start();
    t.http.calls[0].reject(new AppError({ kind: 'network' }));
    await settle();
    expect(t.view.data.historyState).toBe('failed');
    void t.controller.loadHistory();
    expect(t.http.calls).toHaveLength(2);
  });

  it('sends: optimistic "sending", input cleared, then "sent" on ack; refuses empty and too long', () => {
    const t = setup();
    void t.controller.start();
    t.controller.onDraft('  hello  ');
    expect(t.controller.send()).toBe('sent');
    expect(t.fake.sent).toEqual(['hello']);
    expect(t.view.data.draft).toBe('');
    expect(t.view.data.messages[0]).toMatchObject({
      clientId: 'c1',
      status: 'sending',
      mine: true,
    });
    t.fake.emit({ type: 'ack', clientId: 'c1', id: 9, at: 6000 });
    expect(t.view.data.messages[0]).toMatchObject({ id: 9, status: 'sent' });

    expect(t.controller.send('   ')).toBe('empty');
    expect(t.controller.send('x'.repeat(CHAT_TEXT_LIMIT + 1))).toBe('too-long');
    expect(t.fake.sent).toHaveLength(1);
  });

  it('lets a failed message be retried (only a failed one)', () => {
    const t = setup();
    void t.controller.start();
    t.controller.send('one');
    t.controller.retry('c1');
    expect(t.fake.retried).toEqual([]);
    t.fake.emit({ type: 'failed', clientId: 'c1' });
    expect(t.view.data.messages[0].status).toBe('failed');
    t.controller.retry('c1');
    expect(t.fake.retried).toEqual(['c1']);
    expect(t.view.data.messages[0].status).toBe('sending');
  });

  it('follows new messages at the bottom, counts them when scrolled up', () => {
    const t = setup();
    void t.controller.start();
    const top = t.view.data.scrollTop;
    t.fake.emit({ type: 'message', message: message(1, 'bob', 'a') });
    expect(t.view.data.scrollTop).toBeGreaterThan(top);
    t.controller.setPinned(false);
    const pinnedAt = t.view.data.scrollTop;
    t.fake.emit({ type: 'message', message: message(2, 'bob', 'b') });
    t.fake.emit({ type: 'message', message: message(2, 'bob', 'b') }); // duplicate: ignored
    expect(t.view.data.unseen).toBe(1);
    expect(t.view.data.scrollTop).toBe(pinnedAt);
    t.controller.send('mine'); // own message brings you down
    expect(t.view.data.unseen).toBe(0);
    expect(t.view.data.scrollTop).toBeGreaterThan(pinnedAt);
    expect(t.view.data.messages.map((row) => row.text)).toEqual(['a', 'b', 'mine']);
  });

  it('holds the socket only while shown and releases everything on stop', () => {
    const t = setup();
    void t.controller.start();
    t.controller.attach();
    t.controller.attach();
    expect(t.fake.holders()).toBe(1);
    t.controller.detach();
    expect(t.fake.holders()).toBe(0);
    t.controller.attach();
    t.controller.stop();
    expect(t.fake.holders()).toBe(0);
    expect(t.fake.listenerCount()).toBe(0);
  });
});
