/**
 * Fake `wx.connectSocket` with a scripted /ws/chat peer that behaves like the real server:
 * answers hello/ping/sync, acks `send` by clientId and applies each clientId once (a resend gets
 * the original ack), broadcasts new messages, and closes with 4401 for refused tokens.
 * Fault injection: `drop()` (server closes), `halfOpen()` (both directions silently stop, no
 * close event, as phones do), failed connects, raw frames. Also fakes the app lifecycle
 * (onAppShow/onAppHide and their off*) with listener counts, and WeChat's 5-socket limit.
 *
 *   const sockets = fake.extend('sockets', createSocketFamily(fake.context));
 *   sockets.server.post('hi from bob');  sockets.current?.drop(1006);  sockets.hide();
 */
import type { ChatClientFrame, ChatMessage, ChatServerFrame } from '../../../typings/api';
import { TokenBucket, type RateOptions } from '../../../miniprogram/utils/token-bucket';
import type { FakeWxContext } from './index';
import { later, type WxApis, type WxFail } from './types';

type Callbacks = { success?: (r: unknown) => void; fail?: (r: WxFail) => void };

export interface FakeSocketConnection {
  readonly id: number;
  readonly url: string;
  readonly header: Record<string, string>;
  readonly state: 'connecting' | 'open' | 'closed';
  /** Frames the client wrote, parsed. */
  readonly received: ChatClientFrame[];
  /** Close code the client sent, if it closed. */
  readonly clientCloseCode: number | undefined;
  readonly isHalfOpen: boolean;
  /** Completes the handshake (only needed with `autoOpen = false`). */
  accept(): void;
  /** Delivers raw text to the client as a message event. */
  push(data: string | ArrayBuffer): void;
  /** The server closes the connection: the client gets onClose(code). */
  drop(code?: number, reason?: string): void;
  /** From now on nothing is delivered in either direction and no close event ever comes. */
  halfOpen(): void;
}

export interface FakeChatPeer {
  /** The room, ascending by id. */
  readonly messages: ChatMessage[];
  /** Messages created by `send` frames, by clientId (each applied once). */
  readonly applied: Map<string, ChatMessage>;
  /** `send` frames that repeated an already applied clientId. */
  duplicateSends: number;
  /** Tokens answered with close code 4401 right after the handshake. */
  readonly refusedTokens: Set<string>;
  /** Broadcast new messages back to their sender too. Default true. */
  echoToSender: boolean;
  /** Ack `send` frames. Default true (false simulates lost acks). */
  ackSends: boolean;
  /** Answer ping with pong. Default true. */
  answerPings: boolean;
  /** Answer sync requests. Default true. */
  answerSyncs: boolean;
  /** Refuse frames beyond this rate with RATE_LIMITED, per connection, like server/. */
  rateLimit: RateOptions | undefined;
  /** `send` frames refused with RATE_LIMITED. */
  rateLimited: number;
  /** A message from another user, broadcast to every open connection. */
  post(text: string, fromId?: string): ChatMessage;
}

export interface SocketControl {
  readonly server: FakeChatPeer;
  /** Every connection ever made, in order. */
  readonly connections: FakeSocketConnection[];
  /** The newest connection. */
  readonly current: FakeSocketConnection | undefined;
  /** Sockets not closed yet (connecting or open). */
  readonly live: number;
  /** Highest number of live sockets seen at once. */
  readonly maxLive: number;
  /** Open the handshake on the next microtask. Default true. */
  autoOpen: boolean;
  /** The next N connectSocket calls fail (fail callback, then onError and onClose 1006). */
  failNextConnects: number;
  /** Live sockets WeChat allows; the next connect fails beyond it. Default 5. */
  limit: number;
  /** Listener counts for leak checks. */
  readonly lifecycleListeners: { show: number; hide: number };
  hide(): void;
  show(): void;
}

interface TaskListeners {
  open: Array<(r: unknown) => void>;
  message: Array<(r: { data: string | ArrayBuffer }) => void>;
  close: Array<(r: { code: number; reason: string }) => void>;
  error: Array<(r: WxFail) => void>;
}

export function createSocketFamily(context: FakeWxContext): {
  apis: WxApis;
  control: SocketControl;
} {
  const showListeners = new Set<() => void>();
  const hideListeners = new Set<() => void>();
  const connections: Connection[] = [];
  let maxLive = 0;
  let nextId = 0;
  const liveCount = () => connections.filter((c) => c.state !== 'closed').length;

  const peer: FakeChatPeer & { handle(conn: Connection, frame: ChatClientFrame): void } = {
    messages: [],
    applied: new Map(),
    duplicateSends: 0,
    refusedTokens: new Set(),
    echoToSender: true,
    ackSends: true,
    answerPings: true,
    answerSyncs: true,
    rateLimit: undefined,
    rateLimited: 0,
    post(text, fromId = 'bob') {
      const message = create(text, fromId);
      broadcast(message, undefined);
      return message;
    },
    handle(conn, frame) {
      const reqId = frame.reqId === undefined ? {} : { reqId: frame.reqId };
      if (peer.rateLimit) {
        conn.bucket ??= new TokenBucket(peer.rateLimit);
        if (!conn.bucket.take(Date.now())) {
          if (frame.type === 'send') peer.rateLimited++;
          const clientId = frame.type === 'send' ? { clientId: frame.clientId } : {};
          conn.reply({
            type: 'error',
            code: 'RATE_LIMITED',
            message: 'slow down',
            ...clientId,
            ...reqId,
          });
          return;
        }
      }
      switch (frame.type) {
        case 'hello':
          return conn.reply({
            type: 'hello',
            user: { id: 'me', nickname: 'Me' },
            lastId: lastId(),
            ...reqId,
          });
        case 'ping':
          if (peer.answerPings) conn.reply({ type: 'pong', t: frame.t, ...reqId });
          return;
        case 'sync': {
          if (!peer.answerSyncs) return;
          const limit = frame.limit ?? 100;
          const after = peer.messages.filter((m) => m.id > frame.sinceId);
          conn.reply({
            type: 'sync',
            messages: after.slice(0, limit),
            hasMore: after.length > limit,
            ...reqId,
          });
          return;
        }
        case 'send': {
          const existing = peer.applied.get(frame.clientId);
          if (existing) {
            peer.duplicateSends++;
            if (peer.ackSends)
              conn.reply({
                type: 'ack',
                clientId: frame.clientId,
                id: existing.id,
                at: existing.at,
                ...reqId,
              });
            return;
          }
          if (frame.text.length > 2000) {
            conn.reply({
              type: 'error',
              code: 'VALIDATION_FAILED',
              message: 'too long',
              clientId: frame.clientId,
              ...reqId,
            });
            return;
          }
          const message = create(frame.text, 'me', frame.clientId);
          peer.applied.set(frame.clientId, message);
          if (peer.ackSends)
            conn.reply({
              type: 'ack',
              clientId: frame.clientId,
              id: message.id,
              at: message.at,
              ...reqId,
            });
          broadcast(message, peer.echoToSender ? undefined : conn);
          return;
        }
      }
    },
  };

  function lastId(): number {
    return peer.messages.length === 0 ? 0 : peer.messages[peer.messages.length - 1].id;
  }

  function create(text: string, fromId: string, clientId?: string): ChatMessage {
    const message: ChatMessage = {
      id: lastId() + 1,
      from: { id: fromId, nickname: fromId },
      text,
      at: Date.now(),
      ...(clientId ? { clientId } : {}),
    };
    peer.messages.push(message);
    return message;
  }

  function broadcast(message: ChatMessage, except: Connection | undefined): void {
    for (const conn of connections) {
      if (conn !== except && conn.state === 'open') conn.reply({ type: 'message', ...message });
    }
  }

  class Connection implements FakeSocketConnection {
    state: 'connecting' | 'open' | 'closed' = 'connecting';
    readonly received: ChatClientFrame[] = [];
    clientCloseCode: number | undefined;
    isHalfOpen = false;
    bucket: TokenBucket | undefined;
    readonly listeners: TaskListeners = { open: [], message: [], close: [], error: [] };
    readonly id = ++nextId;

    constructor(
      readonly url: string,
      readonly header: Record<string, string>,
    ) {}

    accept(): void {
      if (this.state !== 'connecting') return;
      this.state = 'open';
      for (const listener of this.listeners.open) listener({ header: {} });
      const token = (this.header.Authorization ?? '').replace(/^Bearer /, '');
      if (peer.refusedTokens.has(token)) this.drop(4401, 'unauthorized');
    }

    push(data: string | ArrayBuffer): void {
      if (this.state !== 'open' || this.isHalfOpen) return;
      later(0, () => {
        if (this.state !== 'open' || this.isHalfOpen) return;
        for (const listener of this.listeners.message) listener({ data });
      });
    }

    reply(frame: ChatServerFrame): void {
      this.push(JSON.stringify(frame));
    }

    drop(code = 1006, reason = 'abnormal closure'): void {
      if (this.state === 'closed') return;
      this.state = 'closed';
      if (this.isHalfOpen) return;
      later(0, () => {
        for (const listener of this.listeners.close) listener({ code, reason });
      });
    }

    halfOpen(): void {
      this.isHalfOpen = true;
    }

    task() {
      return {
        send: (option: { data: string } & Callbacks) => {
          if (this.state !== 'open') {
            later(0, () =>
              option.fail?.({ errMsg: 'sendSocketMessage:fail WebSocket is not connected' }),
            );
            return;
          }
          later(0, () => option.success?.({ errMsg: 'sendSocketMessage:ok' }));
          if (this.isHalfOpen) return;
          let frame: ChatClientFrame;
          try {
            frame = JSON.parse(option.data) as ChatClientFrame;
          } catch {
            return;
          }
          this.received.push(frame);
          later(0, () => {
            if (this.state === 'open' && !this.isHalfOpen) peer.handle(this, frame);
          });
        },
        close: (option: { code?: number; reason?: string } & Callbacks) => {
          if (this.state === 'closed') {
            later(0, () =>
              option.fail?.({ errMsg: 'closeSocket:fail WebSocket is not connected' }),
            );
            return;
          }
          this.state = 'closed';
          this.clientCloseCode = option.code ?? 1000;
          later(0, () => {
            option.success?.({ errMsg: 'closeSocket:ok' });
            if (this.isHalfOpen) return;
            for (const listener of this.listeners.close) {
              listener({ code: option.code ?? 1000, reason: option.reason ?? '' });
            }
          });
        },
        onOpen: (listener: (r: unknown) => void) => void this.listeners.open.push(listener),
        onMessage: (listener: (r: { data: string | ArrayBuffer }) => void) =>
          void this.listeners.message.push(listener),
        onClose: (listener: (r: { code: number; reason: string }) => void) =>
          void this.listeners.close.push(listener),
        onError: (listener: (r: WxFail) => void) => void this.listeners.error.push(listener),
      };
    }

    failConnect(option: Callbacks, errMsg: string): void {
      this.state = 'closed';
      later(0, () => {
        option.fail?.({ errMsg });
        for (const listener of this.listeners.error) listener({ errMsg });
        for (const listener of this.listeners.close) listener({ code: 1006, reason: errMsg });
      });
    }
  }

  const control: SocketControl = {
    server: peer,
    connections,
    get current() {
      return connections[connections.length - 1];
    },
    get live() {
      return liveCount();
    },
    get maxLive() {
      return maxLive;
    },
    autoOpen: true,
    failNextConnects: 0,
    limit: 5,
    get lifecycleListeners() {
      return { show: showListeners.size, hide: hideListeners.size };
    },
    hide() {
      for (const listener of [...hideListeners]) listener();
    },
    show() {
      for (const listener of [...showListeners]) listener();
    },
  };

  const apis = {
    connectSocket(option: { url: string; header?: Record<string, string> } & Callbacks) {
      const overLimit = liveCount() >= control.limit;
      const conn = new Connection(option.url, { ...(option.header ?? {}) });
      connections.push(conn);
      const task = conn.task();
      if (overLimit) {
        conn.failConnect(option, 'connectSocket:fail exceed max task count');
      } else if (!context.online()) {
        conn.failConnect(option, 'connectSocket:fail network is down');
      } else if (control.failNextConnects > 0) {
        control.failNextConnects--;
        conn.failConnect(option, 'connectSocket:fail connection refused');
      } else {
        maxLive = Math.max(maxLive, liveCount());
        later(0, () => option.success?.({ errMsg: 'connectSocket:ok' }));
        if (control.autoOpen) later(0, () => conn.accept());
      }
      return task;
    },
    onAppShow: (listener: () => void) => void showListeners.add(listener),
    offAppShow: (listener: () => void) => void showListeners.delete(listener),
    onAppHide: (listener: () => void) => void hideListeners.add(listener),
    offAppHide: (listener: () => void) => void hideListeners.delete(listener),
  };
  return { apis: apis as unknown as WxApis, control };
}
