/**
 * The chat socket's outgoing queue, persisted so messages typed while offline survive an app
 * restart. Bounded in count and age. A message is `queued` until written to an open socket,
 * `sending` until the server acks its clientId, then removed (the ack event tells the UI it is
 * sent); `failed` once older than the age limit or refused by the server, until the user
 * retries or discards it.
 */
import type { KeyValueStore } from './wx-ports';

export type OutgoingState = 'queued' | 'sending' | 'failed';

export interface OutgoingMessage {
  clientId: string;
  text: string;
  createdAt: number;
  state: OutgoingState;
  /** Why it failed: 'expired' or the server's error code. */
  reason?: string;
}

export interface ChatOutboxOptions {
  storage: KeyValueStore;
  storageKey?: string;
  /** Default 100. */
  maxCount?: number;
  /** Default 5 minutes. */
  maxAgeMs?: number;
}

interface Persisted {
  items: OutgoingMessage[];
  /** Highest server message id known to be delivered without gaps. */
  watermark?: number;
}

export class ChatOutbox {
  private items: OutgoingMessage[] = [];
  private watermarkValue: number | undefined;
  readonly maxCount: number;
  readonly maxAgeMs: number;
  private readonly key: string;

  constructor(private readonly options: ChatOutboxOptions) {
    this.maxCount = options.maxCount ?? 100;
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.key = options.storageKey ?? 'chat.outbox';
    this.load();
  }

  get all(): readonly OutgoingMessage[] {
    return this.items;
  }

  get watermark(): number | undefined {
    return this.watermarkValue;
  }

  set watermark(id: number | undefined) {
    if (id === this.watermarkValue) return;
    this.watermarkValue = id;
    this.save();
  }

  get(clientId: string): OutgoingMessage | undefined {
    return this.items.find((item) => item.clientId === clientId);
  }

  /** Appends a queued message; false when the outbox is full of pending messages. */
  add(message: OutgoingMessage): boolean {
    if (this.items.length >= this.maxCount) {
      // Failed messages are the user's to retry, but a full outbox must not block new ones.
      const failed = this.items.findIndex((item) => item.state === 'failed');
      if (failed < 0) return false;
      this.items.splice(failed, 1);
    }
    this.items.push(message);
    this.save();
    return true;
  }

  update(
    clientId: string,
    patch: Partial<Pick<OutgoingMessage, 'state' | 'reason' | 'createdAt'>>,
  ): OutgoingMessage | undefined {
    const item = this.get(clientId);
    if (!item) return undefined;
    Object.assign(item, patch);
    if (patch.state !== 'failed') delete item.reason;
    this.save();
    return item;
  }

  remove(clientId: string): OutgoingMessage | undefined {
    const index = this.items.findIndex((item) => item.clientId === clientId);
    if (index < 0) return undefined;
    const [removed] = this.items.splice(index, 1);
    this.save();
    return removed;
  }

  /** Messages to (re)send on an open socket, oldest first. */
  pending(): OutgoingMessage[] {
    return this.items.filter((item) => item.state !== 'failed');
  }

  /** Marks pending messages older than the age limit failed; returns them. */
  expire(now: number): OutgoingMessage[] {
    const expired = this.items.filter(
      (item) => item.state !== 'failed' && now - item.createdAt >= this.maxAgeMs,
    );
    for (const item of expired) {
      item.state = 'failed';
      item.reason = 'expired';
    }
    if (expired.length > 0) this.save();
    return expired;
  }

  /** When the oldest pending message expires, or undefined. */
  nextExpiry(): number | undefined {
    const pending = this.pending();
    if (pending.length === 0) return undefined;
    return Math.min(...pending.map((item) => item.createdAt)) + this.maxAgeMs;
  }

  private load(): void {
    const stored = this.options.storage.get(this.key) as Partial<Persisted> | undefined;
    if (!stored || typeof stored !== 'object') return;
    if (typeof stored.watermark === 'number' && Number.isFinite(stored.watermark)) {
      this.watermarkValue = stored.watermark;
    }
    if (!Array.isArray(stored.items)) return;
    // Wrong stored data is skipped item by item; what is valid is kept.
    this.items = stored.items
      .filter(isOutgoing)
      .slice(-this.maxCount)
      .map((item) => ({
        ...item,
        // A message that was on the wire when the app died is sent again; the clientId makes the
        // server keep it once.
        state: item.state === 'failed' ? 'failed' : 'queued',
      }));
  }

  private save(): void {
    const persisted: Persisted = { items: this.items, watermark: this.watermarkValue };
    this.options.storage.set(this.key, persisted);
  }
}

function isOutgoing(value: unknown): value is OutgoingMessage {
  if (!value || typeof value !== 'object') return false;
  const item = value as Partial<OutgoingMessage>;
  return (
    typeof item.clientId === 'string' &&
    typeof item.text === 'string' &&
    typeof item.createdAt === 'number' &&
    (item.state === 'queued' || item.state === 'sending' || item.state === 'failed')
  );
}
