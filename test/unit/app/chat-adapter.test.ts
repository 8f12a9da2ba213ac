import { ChatAdapter, personStatus } from '../../../miniprogram/services/chat-adapter';
import type { ChatSocketLike, SocketStatus } from '../../../miniprogram/services/chat-adapter';
import type { ChatEvent } from '../../../miniprogram/services/ports';

function fakeSocket() {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const calls: string[] = [];
  let status: SocketStatus = 'idle';
  const socket = {
    get status() {
      return status;
    },
    connect: () => calls.push('connect'),
    close: () => calls.push('close'),
    send: (text: string) => {
      calls.push(`send:${text}`);
      return { clientId: 'c1' };
    },
    retry: (clientId: string) => {
      calls.push(`retry:${clientId}`);
      return true;
    },
    on(event: string, listener: (payload: never) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
  } as unknown as ChatSocketLike;
  const emit = (event: string, payload: unknown) =>
    listeners.get(event)?.forEach((listener) => (listener as (p: unknown) => void)(payload));
  return {
    socket,
    calls,
    emit,
    setStatus(next: SocketStatus) {
      status = next;
      emit('status', next);
    },
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
}

describe('personStatus', () => {
  it('folds the socket states into what a person reads', () => {
    expect(personStatus('open', false)).toBe('online');
    expect(personStatus('connecting', false)).toBe('connecting');
    expect(personStatus('connecting', true)).toBe('reconnecting');
    expect(personStatus('backoff', false)).toBe('reconnecting');
    expect(personStatus('waiting-slot', false)).toBe('connecting');
    expect(personStatus('offline', true)).toBe('offline');
    expect(personStatus('closed', true)).toBe('idle');
    expect(personStatus('idle', false)).toBe('idle');
  });
});

describe('ChatAdapter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('connects on the first acquire and closes only after the last release and the linger', () => {
    const fake = fakeSocket();
    const chat = new ChatAdapter(fake.socket, { lingerMs: 1000 });
    const releaseA = chat.acquire();
    const releaseB = chat.acquire();
    releaseA();
    releaseA(); // double release counts once
    jest.advanceTimersByTime(5000);
    expect(fake.calls.filter((call) => call === 'close')).toEqual([]);
    releaseB();
    jest.advanceTimersByTime(999);
    const again = chat.acquire(); // back within the linger: no reconnect churn
    jest.advanceTimersByTime(5000);
    expect(fake.calls.filter((call) => call === 'close')).toEqual([]);
    again();
    jest.advanceTimersByTime(1000);
    expect(fake.calls.filter((call) => call === 'close')).toEqual(['close']);
  });

  it('forwards messages, acks, failures and person-readable status; unsubscribes all', () => {
    const fake = fakeSocket();
    const chat = new ChatAdapter(fake.socket);
    const before = fake.listenerCount();
    const events: ChatEvent[] = [];
    const off = chat.on((event) => events.push(event));
    fake.setStatus('connecting');
    fake.setStatus('open');
    fake.setStatus('connecting');
    const message = { id: 1, from: { id: 'u', nickname: 'U' }, text: 'hi', at: 1 };
    fake.emit('message', message);
    fake.emit('ack', { clientId: 'c1', id: 2, at: 3 });
    fake.emit('outbox', { clientId: 'c2', state: 'queued' });
    fake.emit('outbox', { clientId: 'c2', state: 'failed', reason: 'expired' });
    expect(events).toEqual([
      { type: 'status', status: 'connecting' },
      { type: 'status', status: 'online' },
      { type: 'status', status: 'reconnecting' },
      { type: 'message', message },
      { type: 'ack', clientId: 'c1', id: 2, at: 3 },
      { type: 'failed', clientId: 'c2', error: 'expired' },
    ]);
    off();
    expect(fake.listenerCount()).toBe(before);
  });

  it('sends and retries through the socket', () => {
    const fake = fakeSocket();
    const chat = new ChatAdapter(fake.socket);
    expect(chat.send('hello')).toBe('c1');
    chat.retry('c1');
    expect(fake.calls).toEqual(['send:hello', 'retry:c1']);
  });
});
