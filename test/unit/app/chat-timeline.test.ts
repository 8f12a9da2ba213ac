import { ChatTimeline, nextStatus } from '../../../miniprogram/services/chat-timeline';
import type { ChatMessage } from '../../../typings/api';

function message(id: number, fromId: string, text: string, clientId?: string): ChatMessage {
  return { id, from: { id: fromId, nickname: fromId }, text, at: 1000 + id, clientId };
}

describe('message status machine', () => {
  it.each([
    ['sending', 'ack', 'sent'],
    ['sending', 'fail', 'failed'],
    ['sending', 'retry', 'sending'],
    ['failed', 'retry', 'sending'],
    ['failed', 'ack', 'sent'],
    ['failed', 'fail', 'failed'],
    ['sent', 'fail', 'sent'],
    ['sent', 'retry', 'sent'],
    ['sent', 'ack', 'sent'],
  ] as const)('%s --%s--> %s', (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
  });
});

describe('ChatTimeline', () => {
  const me = () => 'me';

  it('adds an optimistic message as sending with one path key, then marks it sent on ack', () => {
    const timeline = new ChatTimeline(me);
    timeline.loadHistory([message(1, 'bob', 'hi')]);
    expect(timeline.addLocal('c1', 'hello', 5000)).toEqual({
      'messages[1]': expect.objectContaining({ key: 'c-c1', status: 'sending', mine: true }),
    });
    expect(timeline.ack('c1', 2, 5001)).toEqual({
      'messages[1]': expect.objectContaining({ id: 2, status: 'sent' }),
    });
    expect(timeline.statusOf('c1')).toBe('sent');
  });

  it('does not show our own echo twice (echo before or after the ack)', () => {
    const timeline = new ChatTimeline(me);
    timeline.addLocal('c1', 'one', 1);
    timeline.addLocal('c2', 'two', 2);
    timeline.receive(message(10, 'me', 'one', 'c1'));
    timeline.ack('c1', 10, 1010);
    timeline.ack('c2', 11, 1011);
    expect(timeline.receive(message(11, 'me', 'two', 'c2'))).toBeUndefined();
    expect(timeline.view.map((item) => [item.key, item.status])).toEqual([
      ['c-c1', 'sent'],
      ['c-c2', 'sent'],
    ]);
  });

  it('drops a message it already has (resync after a reconnect)', () => {
    const timeline = new ChatTimeline(me);
    timeline.loadHistory([message(1, 'bob', 'a'), message(2, 'bob', 'b')]);
    expect(timeline.receive(message(2, 'bob', 'b'))).toBeUndefined();
    timeline.loadHistory([message(1, 'bob', 'a'), message(2, 'bob', 'b'), message(3, 'ann', 'c')]);
    expect(timeline.view.map((item) => item.id)).toEqual([1, 2, 3]);
    expect(timeline.lastServerId).toBe(3);
  });

  it('appends a newer message with a path key and re-sorts an older one with a full list', () => {
    const timeline = new ChatTimeline(me);
    timeline.loadHistory([message(5, 'bob', 'e')]);
    expect(Object.keys(timeline.receive(message(6, 'bob', 'f'))!)).toEqual(['messages[1]']);
    const patch = timeline.receive(message(3, 'ann', 'c'))!;
    expect(Object.keys(patch)).toEqual(['messages']);
    expect(timeline.view.map((item) => item.id)).toEqual([3, 5, 6]);
  });

  it('marks a failed message, lets it be retried, and ignores fail after sent', () => {
    const timeline = new ChatTimeline(me);
    timeline.addLocal('c1', 'x', 1);
    expect(timeline.fail('c1')).toEqual({ 'messages[0].status': 'failed' });
    expect(timeline.fail('c1')).toBeUndefined();
    expect(timeline.retry('c1')).toEqual({ 'messages[0].status': 'sending' });
    timeline.ack('c1', 7, 2);
    expect(timeline.fail('c1')).toBeUndefined();
    expect(timeline.retry('c1')).toBeUndefined();
    expect(timeline.retry('unknown')).toBeUndefined();
    expect(timeline.ack('unknown', 1, 1)).toBeUndefined();
  });

  it('keeps unacknowledged messages after the server ones when history arrives late', () => {
    const timeline = new ChatTimeline(me);
    timeline.addLocal('c1', 'pending', 1);
    timeline.loadHistory([message(1, 'bob', 'a'), message(2, 'me', 'mine, sent earlier')]);
    expect(timeline.view.map((item) => item.key)).toEqual(['s-1', 's-2', 'c-c1']);
    expect(timeline.view[1].mine).toBe(true);
  });
});
