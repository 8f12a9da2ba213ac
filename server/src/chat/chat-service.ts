import type {
  ChatHistory,
  ChatHistoryQuery,
  ChatMessage,
  ChatServerFrame,
} from '../../../typings/api';
import type { ChatLimits, Clock } from '../config';
import type { PubSub } from '../pubsub/pubsub';
import type { Repositories } from '../repositories/types';
import { parseClientFrame } from './frames';
import { TokenBucket } from './token-bucket';

export const ROOM = 'chat:lobby';
/** Close codes: 4401 auth (contract), 1012 dropped by the dev API (service restart), 1001 shutdown. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_DROPPED = 1012;
export const CLOSE_GOING_AWAY = 1001;
const CLOSE_TOO_SLOW = 1008;
/** A reader this far behind is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** setTimeout's longest delay; a later expiry is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the service needs from a socket, so it can be tested without one. */
export interface ChatPeer {
  readonly user: { id: string; nickname: string };
  /** The session the socket authenticated with: it ends at expiry or logout, and so does the socket. */
  readonly session: { tokenHash: string; expiresAt: number };
  send(frame: ChatServerFrame): void;
  /** An already serialised frame (a broadcast is serialised once for every peer). */
  sendText(text: string): void;
  close(code: number, reason: string): void;
  bufferedAmount(): number;
}

export interface ChatConnection {
  receive(raw: string, isBinary: boolean): Promise<void>;
  detach(): void;
}

export class ChatService {
  private readonly peers = new Set<ChatPeer>();
  private readonly serialised = new WeakMap<ChatMessage, string>();
  /** Persist + publish one at a time, so the order of ids is the order of delivery. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repos: Repositories,
    private readonly pubsub: PubSub<ChatMessage>,
    private readonly clock: Clock,
    private readonly limits: ChatLimits,
    private readonly onPersisted: () => void = () => undefined,
  ) {}

  get connectionCount(): number {
    return this.peers.size;
  }

  attach(peer: ChatPeer): ChatConnection {
    this.peers.add(peer);
    const bucket = new TokenBucket(this.limits.framesPerSecond, this.limits.burst, this.clock);
    const unsubscribe = this.pubsub.subscribe(ROOM, (message) => {
      if (peer.bufferedAmount() > MAX_BUFFERED_BYTES) {
        peer.close(CLOSE_TOO_SLOW, 'reader too slow');
        return;
      }
      peer.sendText(this.messageFrame(message));
    });
    let queue: Promise<void> = Promise.resolve();
    let detached = false;
    let expiryTimer: NodeJS.Timeout | undefined;
    const armExpiry = () => {
      const left = peer.session.expiresAt - this.clock.now();
      if (left <= 0) {
        peer.close(CLOSE_UNAUTHORIZED, 'session expired');
        return;
      }
      expiryTimer = setTimeout(armExpiry, Math.min(left, MAX_TIMER_MS));
      expiryTimer.unref();
    };
    armExpiry();
    return {
      receive: (raw, isBinary) => {
        // Frames of one connection are handled in arrival order.
        queue = queue.then(() => {
          if (detached) return undefined;
          // The timer may not have fired yet (a busy loop, or a clock moved by hand).
          if (peer.session.expiresAt <= this.clock.now()) {
            peer.close(CLOSE_UNAUTHORIZED, 'session expired');
            return undefined;
          }
          return this.handle(peer, bucket, raw, isBinary);
        });
        return queue;
      },
      detach: () => {
        if (detached) return;
        detached = true;
        clearTimeout(expiryTimer);
        unsubscribe();
        this.peers.delete(peer);
      },
    };
  }

  /** Closes the sockets opened with one session (logout): returns how many. */
  closeSession(tokenHash: string, code: number, reason: string): number {
    const matching = [...this.peers].filter((peer) => peer.session.tokenHash === tokenHash);
    for (const peer of matching) peer.close(code, reason);
    return matching.length;
  }

  /** Closes every socket (dev API: code 1012; shutdown: 1001). */
  dropAll(code: number, reason: string): number {
    const count = this.peers.size;
    for (const peer of [...this.peers]) peer.close(code, reason);
    return count;
  }

  private messageFrame(message: ChatMessage): string {
    let text = this.serialised.get(message);
    if (text === undefined) {
      text = JSON.stringify({ type: 'message', ...message });
      this.serialised.set(message, text);
    }
    return text;
  }

  async history(query: ChatHistoryQuery): Promise<ChatHistory> {
    const limit = Math.min(query.limit ?? 30, this.limits.maxSync);
    const rows = await this.repos.chat.before(query.beforeId, limit + 1);
    const hasMore = rows.length > limit;
    return { messages: hasMore ? rows.slice(1) : rows, hasMore };
  }

  async lastId(): Promise<number> {
    return this.repos.chat.lastId();
  }

  private async handle(
    peer: ChatPeer,
    bucket: TokenBucket,
    raw: string,
    isBinary: boolean,
  ): Promise<void> {
    try {
      if (isBinary) {
        peer.send({ type: 'error', code: 'BAD_REQUEST', message: 'frames must be JSON text' });
        return;
      }
      if (Buffer.byteLength(raw) > this.limits.maxFrameBytes) {
        peer.send({
          type: 'error',
          code: 'PAYLOAD_TOO_LARGE',
          message: `frame exceeds ${this.limits.maxFrameBytes} bytes`,
        });
        return;
      }
      const parsed = parseClientFrame(raw);
      if (!bucket.take()) {
        peer.send({
          type: 'error',
          code: 'RATE_LIMITED',
          message: 'too many frames, slow down',
          ...(parsed.ok && parsed.frame.type === 'send' ? { clientId: parsed.frame.clientId } : {}),
          ...(parsed.ok && parsed.frame.reqId ? { reqId: parsed.frame.reqId } : {}),
        });
        return;
      }
      if (!parsed.ok) {
        peer.send({
          type: 'error',
          code: 'BAD_REQUEST',
          message: parsed.message,
          ...(parsed.clientId ? { clientId: parsed.clientId } : {}),
          ...(parsed.reqId ? { reqId: parsed.reqId } : {}),
        });
        return;
      }
      const frame = parsed.frame;
      switch (frame.type) {
        case 'ping':
          peer.send({ type: 'pong', t: frame.t, reqId: frame.reqId });
          return;
        case 'hello':
          peer.send({
            type: 'hello',
            user: peer.user,
            lastId: await this.lastId(),
            reqId: frame.reqId,
          });
          return;
        case 'sync': {
          const limit = Math.min(frame.limit ?? this.limits.maxSync, this.limits.maxSync);
          const rows = await this.repos.chat.since(frame.sinceId, limit + 1);
          const hasMore = rows.length > limit;
          peer.send({ type: 'sync', messages: rows.slice(0, limit), hasMore, reqId: frame.reqId });
          return;
        }
        case 'send': {
          const { message, duplicate } = await this.persistAndPublish(
            peer,
            frame.clientId,
            frame.text,
            frame.reqId,
          );
          if (duplicate) {
            peer.send({
              type: 'ack',
              clientId: frame.clientId,
              id: message.id,
              at: message.at,
              reqId: frame.reqId,
            });
          }
          return;
        }
      }
    } catch {
      peer.send({ type: 'error', code: 'INTERNAL', message: 'could not handle the frame' });
    }
  }

  /** The ack goes out before the broadcast, so a sender sees ack then its own message. */
  private persistAndPublish(
    peer: ChatPeer,
    clientId: string,
    text: string,
    reqId: string | undefined,
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const work = this.tail.then(async () => {
      const result = await this.repos.chat.insert({
        userId: peer.user.id,
        nickname: peer.user.nickname,
        clientId,
        text,
        at: this.clock.now(),
      });
      if (!result.duplicate) {
        this.onPersisted();
        peer.send({ type: 'ack', clientId, id: result.message.id, at: result.message.at, reqId });
        await this.pubsub.publish(ROOM, result.message);
      }
      return result;
    });
    this.tail = work.catch(() => undefined);
    return work;
  }
}
