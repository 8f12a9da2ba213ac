/**
 * The chat page's message list: a small state machine per message and the setData patches.
 *
 *   sending --ack--> sent
 *   sending --fail--> failed --retry--> sending
 *   failed  --ack--> sent      (a late ack after the age limit still means it arrived)
 *
 * Incoming messages are de-duplicated by server id; the sender's own echo (same clientId)
 * turns its optimistic message into the sent one instead of showing twice.
 */
import type { ChatMessage } from '../../typings/api';

export type MessageStatus = 'sending' | 'sent' | 'failed';
export type MessageEvent = 'ack' | 'fail' | 'retry';

const TRANSITIONS: Record<MessageStatus, Partial<Record<MessageEvent, MessageStatus>>> = {
  sending: { ack: 'sent', fail: 'failed' },
  failed: { retry: 'sending', ack: 'sent' },
  sent: {},
};

/** The next status, or the same one when the event does not apply (e.g. `fail` after `sent`). */
export function nextStatus(status: MessageStatus, event: MessageEvent): MessageStatus {
  return TRANSITIONS[status][event] ?? status;
}

export interface TimelineItem {
  /** Stable key for wx:key and selectors: `c-<clientId>` for own messages, else `s-<id>`. */
  key: string;
  id?: number;
  clientId?: string;
  text: string;
  fromId: string;
  nickname: string;
  mine: boolean;
  at: number;
  status: MessageStatus;
}

export type TimelinePatch = Record<string, unknown>;

export class ChatTimeline {
  private items: TimelineItem[] = [];
  private readonly serverIds = new Set<number>();

  constructor(
    private readonly myUserId: () => string | undefined,
    private readonly key = 'messages',
  ) {}

  get view(): readonly TimelineItem[] {
    return this.items;
  }

  get lastServerId(): number | undefined {
    let last: number | undefined;
    for (const id of this.serverIds) if (last === undefined || id > last) last = id;
    return last;
  }

  statusOf(clientId: string): MessageStatus | undefined {
    return this.items.find((item) => item.clientId === clientId)?.status;
  }

  /** History from the server merged with what is already shown; one full replace. */
  loadHistory(messages: readonly ChatMessage[]): TimelinePatch {
    for (const message of messages) this.merge(message);
    this.sort();
    return { [this.key]: this.items.slice() };
  }

  /** The optimistic message the user just sent. */
  addLocal(clientId: string, text: string, at: number, nickname = ''): TimelinePatch {
    const item: TimelineItem = {
      key: `c-${clientId}`,
      clientId,
      text,
      fromId: this.myUserId() ?? '',
      nickname,
      mine: true,
      at,
      status: 'sending',
    };
    this.items.push(item);
    return { [`${this.key}[${this.items.length - 1}]`]: item };
  }

  /** A message from the socket (anyone's, including the echo of our own). */
  receive(message: ChatMessage): TimelinePatch | undefined {
    if (this.serverIds.has(message.id)) return undefined;
    const before = this.items.length;
    const index = this.merge(message);
    if (index === before && this.isInOrder(index)) {
      return { [`${this.key}[${index}]`]: this.items[index] };
    }
    if (index < before) return { [`${this.key}[${index}]`]: this.items[index] };
    this.sort();
    return { [this.key]: this.items.slice() };
  }

  ack(clientId: string, id: number, at: number): TimelinePatch | undefined {
    const index = this.items.findIndex((item) => item.clientId === clientId);
    if (index < 0) return undefined;
    const item = this.items[index];
    const status = nextStatus(item.status, 'ack');
    if (status === item.status && item.id === id) return undefined;
    this.items[index] = { ...item, id, at, status };
    this.serverIds.add(id);
    return { [`${this.key}[${index}]`]: this.items[index] };
  }

  fail(clientId: string): TimelinePatch | undefined {
    return this.transition(clientId, 'fail');
  }

  retry(clientId: string): TimelinePatch | undefined {
    return this.transition(clientId, 'retry');
  }

  private transition(clientId: string, event: MessageEvent): TimelinePatch | undefined {
    const index = this.items.findIndex((item) => item.clientId === clientId);
    if (index < 0) return undefined;
    const status = nextStatus(this.items[index].status, event);
    if (status === this.items[index].status) return undefined;
    this.items[index] = { ...this.items[index], status };
    return { [`${this.key}[${index}].status`]: status };
  }

  /** Puts `message` in the list (or onto our optimistic copy); returns its index. */
  private merge(message: ChatMessage): number {
    if (this.serverIds.has(message.id)) {
      return this.items.findIndex((item) => item.id === message.id);
    }
    this.serverIds.add(message.id);
    const own =
      message.clientId !== undefined
        ? this.items.findIndex((item) => item.clientId === message.clientId)
        : -1;
    if (own >= 0) {
      const item = this.items[own];
      this.items[own] = {
        ...item,
        id: message.id,
        at: message.at,
        status: nextStatus(item.status, 'ack'),
      };
      return own;
    }
    const mine = message.from.id === this.myUserId();
    this.items.push({
      key: message.clientId && mine ? `c-${message.clientId}` : `s-${message.id}`,
      id: message.id,
      clientId: message.clientId,
      text: message.text,
      fromId: message.from.id,
      nickname: message.from.nickname,
      mine,
      at: message.at,
      status: 'sent',
    });
    return this.items.length - 1;
  }

  /** A new server message is in order if no server message after it has a larger id. */
  private isInOrder(index: number): boolean {
    const id = this.items[index].id as number;
    return this.items.every((item, i) => i === index || item.id === undefined || item.id < id);
  }

  /** Server messages by id; our unacknowledged ones stay at the end in the order sent. */
  private sort(): void {
    const confirmed = this.items.filter((item) => item.id !== undefined);
    const pending = this.items.filter((item) => item.id === undefined);
    confirmed.sort((a, b) => (a.id as number) - (b.id as number));
    this.items = [...confirmed, ...pending];
  }
}
