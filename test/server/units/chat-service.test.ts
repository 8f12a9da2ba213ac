import type { ChatMessage, ChatServerFrame } from '../../../typings/api';
import { ChatService, type ChatPeer } from '../../../server/src/chat/chat-service';
import { DEFAULT_OPTIONS } from '../../../server/src/config';
import { openDatabase } from '../../../server/src/db/database';
import { memoryPubSub } from '../../../server/src/pubsub/pubsub';
import { sqliteRepositories } from '../../../server/src/repositories/sqlite';
import { ManualClock, tempDataDir } from '../helpers';

class FakePeer implements ChatPeer {
  frames: ChatServerFrame[] = [];
  closed?: { code: number; reason: string };
  buffered = 0;
  constructor(
    readonly user: { id: string; nickname: string },
    readonly session = { tokenHash: `token-of-${user.id}`, expiresAt: Number.MAX_SAFE_INTEGER },
  ) {}
  send(frame: ChatServerFrame): void {
    this.frames.push(frame);
  }
  sendText(text: string): void {
    this.frames.push(JSON.parse(text) as ChatServerFrame);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  bufferedAmount(): number {
    return this.buffered;
  }
}

function service() {
  const repos = sqliteRepositories(openDatabase(tempDataDir()));
  const pubsub = memoryPubSub<ChatMessage>();
  const clock = new ManualClock();
  const chat = new ChatService(repos, pubsub, clock, DEFAULT_OPTIONS.chat);
  return { chat, pubsub, repos, clock };
}

const send = (clientId: string, text: string) => JSON.stringify({ type: 'send', clientId, text });

describe('ChatService', () => {
  it('delivers in id order even when many connections send at once', async () => {
    const { chat, repos } = service();
    const peers = Array.from(
      { length: 5 },
      (_, i) => new FakePeer({ id: `u${i}`, nickname: `u${i}` }),
    );
    const connections = peers.map((p) => chat.attach(p));
    await Promise.all(
      connections.flatMap((c, i) =>
        Array.from({ length: 10 }, (_, k) => c.receive(send(`c${k}`, `${i}-${k}`), false)),
      ),
    );
    for (const peer of peers) {
      const ids = peer.frames.filter((f) => f.type === 'message').map((f) => (f as ChatMessage).id);
      expect(ids).toHaveLength(50);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    expect(await repos.chat.lastId()).toBe(50);
    await repos.close();
  });

  it('drops a reader that falls too far behind instead of buffering without bound', async () => {
    const { chat, repos } = service();
    const slow = new FakePeer({ id: 'slow', nickname: 'slow' });
    const sender = new FakePeer({ id: 'fast', nickname: 'fast' });
    chat.attach(slow);
    const connection = chat.attach(sender);
    slow.buffered = 5 * 1024 * 1024;
    await connection.receive(send('x', 'hello'), false);
    expect(slow.closed?.code).toBe(1008);
    expect(sender.frames.some((f) => f.type === 'message')).toBe(true);
    await repos.close();
  });

  it('stops delivering after detach and counts connections', async () => {
    const { chat, repos } = service();
    const a = new FakePeer({ id: 'a', nickname: 'a' });
    const b = new FakePeer({ id: 'b', nickname: 'b' });
    const ca = chat.attach(a);
    const cb = chat.attach(b);
    expect(chat.connectionCount).toBe(2);
    cb.detach();
    cb.detach();
    expect(chat.connectionCount).toBe(1);
    await ca.receive(send('m', 'only a'), false);
    expect(b.frames).toEqual([]);
    expect(chat.dropAll(1012, 'bye')).toBe(1);
    expect(a.closed).toEqual({ code: 1012, reason: 'bye' });
    await repos.close();
  });
});

describe('ChatService: a socket lives no longer than its session', () => {
  beforeEach(() =>
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }),
  );
  afterEach(() => jest.useRealTimers());

  /** Moves the service's clock and the timers together. */
  const elapse = (clock: ManualClock, ms: number) => {
    clock.advance(ms);
    jest.advanceTimersByTime(ms);
  };

  it('an idle socket is closed with 4401 when its session expires', async () => {
    const { chat, repos, clock } = service();
    const peer = new FakePeer(
      { id: 'a', nickname: 'a' },
      { tokenHash: 't', expiresAt: clock.now() + 1000 },
    );
    const connection = chat.attach(peer);
    elapse(clock, 999);
    expect(peer.closed).toBeUndefined();
    elapse(clock, 1);
    expect(peer.closed).toEqual({ code: 4401, reason: 'session expired' });
    connection.detach();
    await repos.close();
  });

  it('a frame after expiry closes the socket and is not handled, even before the timer fires', async () => {
    const { chat, repos, clock } = service();
    const peer = new FakePeer(
      { id: 'a', nickname: 'a' },
      { tokenHash: 't', expiresAt: clock.now() + 1000 },
    );
    const connection = chat.attach(peer);
    clock.advance(1000); // the clock moves, the timer has not run yet
    await connection.receive(send('late', 'too late'), false);
    expect(peer.closed).toEqual({ code: 4401, reason: 'session expired' });
    expect(peer.frames).toEqual([]);
    expect(await repos.chat.lastId()).toBe(0);
    connection.detach();
    await repos.close();
  });

  it('an expiry beyond the longest timer delay is reached in steps, not at once', async () => {
    const { chat, repos, clock } = service();
    const longest = 2 ** 31 - 1;
    const peer = new FakePeer(
      { id: 'a', nickname: 'a' },
      { tokenHash: 't', expiresAt: clock.now() + longest + 5000 },
    );
    const connection = chat.attach(peer);
    // One timer for the longest delay (a longer one would overflow and fire at once, in a loop).
    const before = Date.now();
    jest.advanceTimersToNextTimer();
    expect(Date.now() - before).toBe(longest);
    clock.advance(longest);
    jest.advanceTimersToNextTimer();
    expect(peer.closed).toBeUndefined();
    elapse(clock, 5000);
    expect(peer.closed?.code).toBe(4401);
    connection.detach();
    await repos.close();
  });

  it("detach cancels the expiry; closeSession closes only that session's sockets", async () => {
    const { chat, repos, clock } = service();
    const expiresAt = clock.now() + 1000;
    const gone = new FakePeer({ id: 'a', nickname: 'a' }, { tokenHash: 't1', expiresAt });
    const mine = new FakePeer({ id: 'a', nickname: 'a' }, { tokenHash: 't2', expiresAt });
    const other = new FakePeer({ id: 'a', nickname: 'a' }, { tokenHash: 't3', expiresAt });
    chat.attach(gone).detach();
    const connections = [chat.attach(mine), chat.attach(other)];
    expect(chat.closeSession('t2', 4401, 'logged out')).toBe(1);
    expect(mine.closed).toEqual({ code: 4401, reason: 'logged out' });
    expect(other.closed).toBeUndefined();
    for (const c of connections) c.detach();
    elapse(clock, 1000);
    expect(gone.closed).toBeUndefined();
    expect(other.closed).toBeUndefined();
    await repos.close();
  });
});

describe('memoryPubSub', () => {
  it('keeps delivering when one subscriber throws', async () => {
    const pubsub = memoryPubSub<number>();
    const seen: number[] = [];
    pubsub.subscribe('room', () => {
      throw new Error('broken subscriber');
    });
    const off = pubsub.subscribe('room', (n) => seen.push(n));
    await pubsub.publish('room', 1);
    off();
    await pubsub.publish('room', 2);
    expect(seen).toEqual([1]);
  });
});
