/**
 * The WebSocket manager for /ws/chat.
 *
 * - Connects with the session's token (`Authorization: Bearer`), reconnects when the session is
 *   replaced, and on close code 4401 invalidates the session and retries a bounded number of times.
 * - Heartbeat: a ping every `heartbeatIntervalMs`; no frame within `pongTimeoutMs` after it means
 *   the connection is dead even if `onClose` never fires (half-open sockets on phones).
 * - Reconnects with exponential backoff and full jitter, never while the app is hidden, offline,
 *   closed, or all 5 WeChat socket slots are taken (it waits for the event instead of spinning).
 * - Outgoing messages get a client id and wait in a persisted outbox (socket-outbox.ts); they are
 *   sent in order once open and count as sent only when the server acks the client id.
 * - Incoming messages are de-duplicated by server id; after every (re)connect it syncs from the
 *   last id it saw without a gap, so nothing is lost and nothing shows twice.
 * - Frames that are not JSON or of an unknown type are counted and dropped.
 */
import type { ChatClientFrame, ChatMessage, ChatServerFrame } from '../../typings/api';
import { backoffDelay } from './backoff';
import type { BackoffOptions } from './backoff';
import { parseServerFrame } from './chat-frames';
import { createClientId } from './client-id';
import type { Connectivity, Session, SessionSource } from './contracts';
import { AppError, toAppError } from './errors';
import { ChatOutbox } from './socket-outbox';
import type { OutgoingMessage } from './socket-outbox';
import { sharedSocketSlots } from './socket-slots';
import type { SocketSlotRegistry } from './socket-slots';
import { TokenBucket } from './token-bucket';
import type { RateOptions } from './token-bucket';
import { TypedEvents } from './typed-events';
import type { KeyValueStore, SocketTaskLike, SocketWx, Timers } from './wx-ports';
import { globalWx, realTimers, wxStorage } from './wx-ports';

export type ChatStatus =
  /** Created, `connect()` not called yet. */
  | 'idle'
  | 'connecting'
  | 'open'
  /** Waiting out a backoff delay before the next attempt. */
  | 'backoff'
  | 'offline'
  /** The app is in the background. */
  | 'paused'
  /** All WeChat socket slots are taken. */
  | 'waiting-slot'
  /** Logged out, or the server kept refusing the session: waiting for a new session. */
  | 'waiting-session'
  | 'closed';

export interface ChatAck {
  clientId: string;
  id: number;
  at: number;
}

export interface ChatSocketEvents {
  message: ChatMessage;
  status: ChatStatus;
  ack: ChatAck;
  /** A copy of the outgoing message whose state changed (removed once acked). */
  outbox: OutgoingMessage;
  error: AppError;
}

export interface ChatSocketStats {
  /** Frames that were not JSON objects or lacked required fields. */
  malformed: number;
  /** Frames of a type this client does not know. */
  unknownType: number;
  /** Incoming messages dropped because their server id was already shown. */
  duplicates: number;
  /** Connections declared dead by the heartbeat. */
  heartbeatTimeouts: number;
  /** Connection attempts after the first. */
  reconnects: number;
}

export interface ChatSocketOptions {
  /** Absolute ws(s) URL of /ws/chat. */
  url: string;
  session: SessionSource;
  connectivity?: Connectivity;
  wx?: SocketWx;
  storage?: KeyValueStore;
  slots?: SocketSlotRegistry;
  timers?: Timers;
  /** Default 25 s. */
  heartbeatIntervalMs?: number;
  /** Default 10 s. */
  pongTimeoutMs?: number;
  /** Default 10 s: an attempt that does not open by then is abandoned. */
  connectTimeoutMs?: number;
  /** Default 10 s. */
  rpcTimeoutMs?: number;
  /** Messages written but not acked yet, at most. Default 16. */
  maxInFlight?: number;
  /**
   * Pace of `send` frames, under the server's limit (20/s, burst 40). Default 15/s, burst 30;
   * false: unpaced (a server without a limit, benchmarks).
   */
  sendRate?: RateOptions | false;
  /** Wait after a RATE_LIMITED or INTERNAL refusal before resending. Default 1 s (jittered). */
  refusalBackoffMs?: number;
  /** Defaults: base 500 ms, cap 30 s. */
  backoff?: BackoffOptions;
  /** Consecutive 4401 closes tolerated before waiting for a new session. Default 3. */
  maxAuthFailures?: number;
  outbox?: { maxCount?: number; maxAgeMs?: number; storageKey?: string };
  /** Page size of `sync` requests. Default 100. */
  syncLimit?: number;
  /** Server ids remembered for de-duplication. Default 2000. */
  dedupeWindow?: number;
  /** Longest text the server accepts (ChatTextLimit). Default 2000. */
  maxTextLength?: number;
}

interface Connection {
  /** Unset only while `wx.connectSocket` itself is running. */
  task?: SocketTaskLike;
  generation: number;
  release: () => void;
  open: boolean;
  /** True once everything up to the watermark is known to be delivered. */
  synced: boolean;
  /** Client ids written on this connection (not re-sent on it). */
  written: Set<string>;
  connectTimer?: unknown;
  pingTimer?: unknown;
  pongTimer?: unknown;
}

interface PendingRpc {
  resolve: (frame: ChatServerFrame) => void;
  reject: (error: AppError) => void;
  timer: unknown;
}

type ClientFrameBody = ChatClientFrame extends infer F
  ? F extends ChatClientFrame
    ? Omit<F, 'reqId'>
    : never
  : never;

export class ChatSocket {
  private readonly events = new TypedEvents<ChatSocketEvents>();
  private readonly outbox: ChatOutbox;
  private readonly timers: Timers;
  private readonly slots: SocketSlotRegistry;
  private readonly rpc = new Map<string, PendingRpc>();
  private readonly seen = new Set<number>();
  private statusValue: ChatStatus = 'idle';
  private started = false;
  private hidden = false;
  private connecting = false;
  /** Bumped whenever an in-flight attempt must be abandoned (close, hide, offline, logout). */
  private epoch = 0;
  private conn: Connection | undefined;
  private attempt = 0;
  private authFailures = 0;
  private everConnected = false;
  private reconnectTimer: unknown;
  private expiryTimer: unknown;
  private flushTimer: unknown;
  private readonly pacer: TokenBucket | undefined;
  private rpcSeq = 0;
  private teardowns: Array<() => void> = [];
  private slotWait: (() => void) | undefined;
  private wxApi: SocketWx | undefined;
  readonly stats: ChatSocketStats = {
    malformed: 0,
    unknownType: 0,
    duplicates: 0,
    heartbeatTimeouts: 0,
    reconnects: 0,
  };

  constructor(private readonly options: ChatSocketOptions) {
    this.timers = options.timers ?? realTimers;
    this.slots = options.slots ?? sharedSocketSlots;
    this.outbox = new ChatOutbox({ storage: options.storage ?? wxStorage(), ...options.outbox });
    const rate = options.sendRate ?? { perSecond: 15, burst: 30 };
    this.pacer = rate ? new TokenBucket(rate) : undefined;
  }

  get status(): ChatStatus {
    return this.statusValue;
  }

  /** Outgoing messages not yet acked (queued, sending, failed), oldest first. */
  get pending(): readonly OutgoingMessage[] {
    return this.outbox.all.map((item) => ({ ...item }));
  }

  /** Highest server id delivered without gaps (what the next sync starts from). */
  get lastSeenId(): number | undefined {
    return this.outbox.watermark;
  }

  on<K extends keyof ChatSocketEvents>(
    event: K,
    listener: (payload: ChatSocketEvents[K]) => void,
  ): () => void {
    return this.events.on(event, listener);
  }

  off<K extends keyof ChatSocketEvents>(
    event: K,
    listener: (payload: ChatSocketEvents[K]) => void,
  ): void {
    this.events.off(event, listener);
  }

  /** Number of event listeners registered (0 after `dispose()`). */
  get listenerCount(): number {
    return this.events.size;
  }

  /** Starts connecting and keeps the connection up until `close()`. Idempotent. */
  connect(): void {
    if (this.started) return;
    this.started = true;
    // A fresh start: whatever stopped the previous run no longer applies.
    this.hidden = false;
    this.attempt = 0;
    this.authFailures = 0;
    const api = (this.wxApi = this.options.wx ?? globalWx<SocketWx>());
    api.onAppHide(this.handleHide);
    api.onAppShow(this.handleShow);
    this.teardowns.push(() => {
      api.offAppHide(this.handleHide);
      api.offAppShow(this.handleShow);
    });
    const connectivity = this.options.connectivity;
    if (connectivity) {
      this.teardowns.push(connectivity.subscribe((state) => this.handleConnectivity(state.online)));
    }
    this.teardowns.push(this.options.session.onChange((session) => this.handleSession(session)));
    this.scheduleExpiry();
    void this.attemptConnect();
  }

  /** Disconnects and stops reconnecting. Queued messages stay persisted for the next connect. */
  close(): void {
    if (!this.started) return;
    this.started = false;
    this.epoch++;
    for (const teardown of this.teardowns.splice(0)) teardown();
    this.stopSlotWait();
    this.timers.clearTimeout(this.reconnectTimer);
    this.timers.clearTimeout(this.expiryTimer);
    if (this.conn) this.drop(this.conn, 1000, 'closed by client');
    this.setStatus('closed');
  }

  /** `close()` and remove every event listener. */
  dispose(): void {
    this.close();
    this.events.clear();
  }

  /** Forces a new connection now (e.g. a pull-to-refresh), resetting the backoff. */
  reconnect(): void {
    if (!this.started) return;
    if (this.conn) this.drop(this.conn, 1000, 'reconnect');
    this.attempt = 0;
    void this.attemptConnect();
  }

  /**
   * Queues a chat message and sends it as soon as a connection is open. Throws a
   * `business` AppError for empty or too long text, or when the outbox is full.
   */
  send(text: string): OutgoingMessage {
    const limit = this.options.maxTextLength ?? 2000;
    if (typeof text !== 'string' || text.trim() === '' || text.length > limit) {
      throw new AppError({
        kind: 'business',
        code: 'VALIDATION_FAILED',
        message: `chat text must be 1..${limit} characters`,
      });
    }
    const message: OutgoingMessage = {
      clientId: createClientId('m'),
      text,
      createdAt: this.timers.now(),
      state: 'queued',
    };
    if (!this.outbox.add(message)) {
      throw new AppError({ kind: 'business', code: 'OUTBOX_FULL', message: 'chat outbox is full' });
    }
    this.emitOutbox(message);
    this.flush();
    this.scheduleExpiry();
    return { ...message };
  }

  /** Puts a failed message back in the queue with a fresh age limit. False if not failed. */
  retry(clientId: string): boolean {
    const item = this.outbox.get(clientId);
    if (!item || item.state !== 'failed') return false;
    this.outbox.update(clientId, { state: 'queued', createdAt: this.timers.now() });
    // Written once on this connection before it failed: write it again.
    this.conn?.written.delete(clientId);
    this.emitOutbox(item);
    this.flush();
    this.scheduleExpiry();
    return true;
  }

  /** Forgets an outgoing message that has not been acked. */
  discard(clientId: string): boolean {
    const removed = this.outbox.remove(clientId);
    if (this.conn) this.conn.written.delete(clientId);
    this.scheduleExpiry();
    return removed !== undefined;
  }

  /**
   * Sends an RPC-style frame and resolves with the server frame carrying the same `reqId`.
   * Rejects with `network` when not connected or the connection drops, `timeout` after
   * `timeoutMs`, or `business` when the server answers with an error frame.
   */
  request(frame: ClientFrameBody, timeoutMs?: number): Promise<ChatServerFrame> {
    const conn = this.conn;
    if (!conn || !conn.open) {
      return Promise.reject(new AppError({ kind: 'network', message: 'chat socket is not open' }));
    }
    const reqId = `q${++this.rpcSeq}`;
    return new Promise<ChatServerFrame>((resolve, reject) => {
      const timer = this.timers.setTimeout(
        () => {
          this.rpc.delete(reqId);
          reject(new AppError({ kind: 'timeout', message: `no reply to ${frame.type}` }));
        },
        timeoutMs ?? this.options.rpcTimeoutMs ?? 10_000,
      );
      this.rpc.set(reqId, { resolve, reject, timer });
      this.write(conn, { ...frame, reqId } as ChatClientFrame);
    });
  }

  // ------------------------------------------------------------ connection lifecycle

  private async attemptConnect(): Promise<void> {
    if (!this.started || this.conn || this.connecting) return;
    this.timers.clearTimeout(this.reconnectTimer);
    if (this.hidden) return this.setStatus('paused');
    if (this.options.connectivity && !this.options.connectivity.state.online) {
      return this.setStatus('offline');
    }
    const release = this.slots.tryAcquire();
    if (!release) return this.waitForSlot();
    this.connecting = true;
    this.setStatus('connecting');
    const epoch = this.epoch;
    let session: Session;
    try {
      session = await this.options.session.ensure();
    } catch (error) {
      this.connecting = false;
      release();
      if (epoch !== this.epoch) return this.attemptConnect();
      this.emitError(toAppError(error, 'auth'));
      return this.scheduleReconnect();
    }
    this.connecting = false;
    // A session that replaced this one while we waited (handleSession ignored it) wins.
    const latest = this.options.session.current();
    if (latest && latest.generation > session.generation) session = latest;
    if (epoch !== this.epoch) {
      release();
      return this.attemptConnect();
    }
    if (this.everConnected) this.stats.reconnects++;
    this.everConnected = true;
    this.open(session, release);
  }

  private open(session: Session, release: () => void): void {
    const api = this.wxApi as SocketWx;
    const conn: Connection = {
      generation: session.generation,
      release,
      open: false,
      synced: false,
      written: new Set(),
    };
    this.conn = conn;
    let task: SocketTaskLike;
    try {
      task = conn.task = api.connectSocket({
        url: this.options.url,
        header: { Authorization: `Bearer ${session.token}` },
        timeout: this.options.connectTimeoutMs ?? 10_000,
        fail: (error) =>
          this.fail(conn, new AppError({ kind: 'network', message: error.errMsg, cause: error })),
      });
    } catch (error) {
      this.fail(conn, toAppError(error, 'network'));
      return;
    }
    task.onOpen(() => this.handleOpen(conn));
    task.onMessage((result) => this.handleFrame(conn, result.data));
    task.onClose((result) => this.handleClose(conn, result.code, result.reason));
    task.onError((error) =>
      this.fail(conn, new AppError({ kind: 'network', message: error.errMsg, cause: error })),
    );
    conn.connectTimer = this.timers.setTimeout(
      () => this.fail(conn, new AppError({ kind: 'timeout', message: 'chat socket did not open' })),
      this.options.connectTimeoutMs ?? 10_000,
    );
  }

  private handleOpen(conn: Connection): void {
    if (this.conn !== conn || conn.open) return;
    conn.open = true;
    this.timers.clearTimeout(conn.connectTimer);
    this.setStatus('open');
    const watermark = this.outbox.watermark;
    this.write(
      conn,
      watermark === undefined ? { type: 'hello' } : { type: 'hello', lastId: watermark },
    );
    if (watermark !== undefined) void this.sync(conn, watermark);
    this.flush();
    this.armHeartbeat(conn);
  }

  private handleClose(conn: Connection, code: number, reason: string): void {
    if (this.conn !== conn) return;
    this.drop(conn);
    if (code === 4401) {
      this.authFailures++;
      this.emitError(
        new AppError({ kind: 'auth', status: 401, message: reason || 'unauthorized' }),
      );
      // Past the bound, stop: only a session that arrives from elsewhere (a new login) resumes.
      if (this.authFailures > (this.options.maxAuthFailures ?? 3)) {
        return this.setStatus('waiting-session');
      }
      // May replace the session synchronously; handleSession then starts the next attempt.
      this.options.session.invalidate(conn.generation);
    }
    this.scheduleReconnect();
  }

  /** The connection is unusable (error, connect timeout, heartbeat, failed write). */
  private fail(conn: Connection, error: AppError): void {
    if (this.conn !== conn) return;
    this.drop(conn, 4000, error.message);
    this.emitError(error);
    this.scheduleReconnect();
  }

  /** Forgets `conn`, closing the task if a code is given; pending RPCs reject. */
  private drop(conn: Connection, code?: number, reason?: string): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.timers.clearTimeout(conn.connectTimer);
    this.timers.clearTimeout(conn.pingTimer);
    this.timers.clearTimeout(conn.pongTimer);
    this.timers.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    conn.release();
    if (code !== undefined && conn.task) {
      try {
        conn.task.close({ code, reason, fail: () => undefined });
      } catch {
        // Already closed: nothing to release.
      }
    }
    for (const [reqId, pending] of [...this.rpc]) {
      this.rpc.delete(reqId);
      this.timers.clearTimeout(pending.timer);
      pending.reject(new AppError({ kind: 'network', message: 'chat socket closed' }));
    }
    for (const item of this.outbox.pending()) {
      if (item.state === 'sending')
        this.emitOutbox(this.outbox.update(item.clientId, { state: 'queued' }));
    }
  }

  private scheduleReconnect(): void {
    if (!this.started || this.conn || this.connecting) return;
    if (this.hidden) return this.setStatus('paused');
    if (this.options.connectivity && !this.options.connectivity.state.online) {
      return this.setStatus('offline');
    }
    const delay = backoffDelay(this.attempt++, this.options.backoff);
    this.setStatus('backoff');
    this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.timers.setTimeout(() => void this.attemptConnect(), delay);
  }

  private waitForSlot(): void {
    this.setStatus('waiting-slot');
    if (this.slotWait) return;
    this.emitError(
      new AppError({
        kind: 'network',
        code: 'SOCKET_LIMIT',
        message: 'all WeChat socket slots are in use',
      }),
    );
    this.slotWait = this.slots.onRelease(() => {
      this.stopSlotWait();
      void this.attemptConnect();
    });
  }

  private stopSlotWait(): void {
    this.slotWait?.();
    this.slotWait = undefined;
  }

  private readonly handleHide = (): void => {
    this.hidden = true;
    this.epoch++;
    this.timers.clearTimeout(this.reconnectTimer);
    if (this.conn) this.drop(this.conn, 1000, 'app hidden');
    this.stopSlotWait();
    this.setStatus('paused');
  };

  private readonly handleShow = (): void => {
    if (!this.hidden) return;
    this.hidden = false;
    this.attempt = 0;
    void this.attemptConnect();
  };

  private handleConnectivity(online: boolean): void {
    if (!online) {
      this.epoch++;
      this.timers.clearTimeout(this.reconnectTimer);
      if (this.conn) this.drop(this.conn, 1000, 'offline');
      this.stopSlotWait();
      if (!this.hidden) this.setStatus('offline');
      return;
    }
    if (this.statusValue === 'offline') {
      this.attempt = 0;
      void this.attemptConnect();
    }
  }

  private handleSession(session: Session | undefined): void {
    if (!session) {
      this.epoch++;
      this.timers.clearTimeout(this.reconnectTimer);
      if (this.conn) this.drop(this.conn, 1000, 'logged out');
      return this.setStatus('waiting-session');
    }
    if (this.connecting) return; // the attempt in flight picks up the newest session
    if (this.conn && this.conn.generation === session.generation) return;
    if (this.conn) this.drop(this.conn, 1000, 'session refreshed');
    if (this.statusValue === 'waiting-session') this.authFailures = 0;
    this.attempt = 0;
    void this.attemptConnect();
  }

  // ------------------------------------------------------------ heartbeat

  private armHeartbeat(conn: Connection): void {
    this.timers.clearTimeout(conn.pingTimer);
    conn.pingTimer = this.timers.setTimeout(() => {
      if (this.conn !== conn) return;
      this.write(conn, { type: 'ping', t: this.timers.now() });
      // Keep the earliest deadline: a pong owed since the last ping is still owed.
      if (conn.pongTimer === undefined) {
        conn.pongTimer = this.timers.setTimeout(() => {
          this.stats.heartbeatTimeouts++;
          this.fail(conn, new AppError({ kind: 'timeout', message: 'heartbeat: no pong' }));
        }, this.options.pongTimeoutMs ?? 10_000);
      }
      this.armHeartbeat(conn);
    }, this.options.heartbeatIntervalMs ?? 25_000);
  }

  // ------------------------------------------------------------ frames

  private write(conn: Connection, frame: ChatClientFrame): void {
    if (!conn.task) return;
    try {
      conn.task.send({
        data: JSON.stringify(frame),
        fail: (error) =>
          this.fail(conn, new AppError({ kind: 'network', message: error.errMsg, cause: error })),
      });
    } catch (error) {
      this.fail(conn, toAppError(error, 'network'));
    }
  }

  private handleFrame(conn: Connection, data: unknown): void {
    if (this.conn !== conn) return;
    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      if (parsed.reason === 'malformed') this.stats.malformed++;
      else this.stats.unknownType++;
      this.emitError(
        new AppError({
          kind: 'parse',
          code: parsed.reason,
          message: `dropped a ${parsed.reason} chat frame`,
        }),
      );
      return;
    }
    // Any well-formed frame proves the connection is alive.
    this.timers.clearTimeout(conn.pongTimer);
    conn.pongTimer = undefined;
    this.attempt = 0;
    const frame = parsed.frame;
    switch (frame.type) {
      case 'hello':
        this.authFailures = 0;
        if (this.outbox.watermark !== undefined && frame.lastId < this.outbox.watermark) {
          // The room restarted below what we saw (a reset server): ids start over, so must we.
          this.seen.clear();
          this.outbox.watermark = undefined;
        }
        if (this.outbox.watermark === undefined) {
          this.outbox.watermark = frame.lastId;
          conn.synced = true;
        }
        break;
      case 'ack':
        this.handleAck(frame);
        break;
      case 'message':
        this.deliver(conn, frame);
        break;
      case 'error':
        if (frame.clientId) this.refuse(frame.clientId, frame.code);
        if (!frame.reqId) this.emitError(serverError(frame));
        break;
      default:
        break;
    }
    const reqId = (frame as { reqId?: string }).reqId;
    if (reqId) this.settleRpc(reqId, frame);
  }

  private settleRpc(reqId: string, frame: ChatServerFrame): void {
    const pending = this.rpc.get(reqId);
    if (!pending) return;
    this.rpc.delete(reqId);
    this.timers.clearTimeout(pending.timer);
    if (frame.type === 'error') pending.reject(serverError(frame));
    else pending.resolve(frame);
  }

  private handleAck(frame: ChatAck): void {
    const item = this.outbox.remove(frame.clientId);
    if (!item) return; // an ack repeated after a resend: already reported once
    if (this.conn) this.conn.written.delete(frame.clientId);
    this.scheduleExpiry();
    this.events.emit('ack', { clientId: frame.clientId, id: frame.id, at: frame.at });
    this.flush(); // a window slot is free
  }

  private refuse(clientId: string, code: string): void {
    this.conn?.written.delete(clientId);
    if (code === 'RATE_LIMITED' || code === 'INTERNAL') {
      // Transient: back in the queue, resent after a pause (the age limit still bounds it).
      const item = this.outbox.update(clientId, { state: 'queued' });
      if (!item) return;
      this.emitOutbox(item);
      const pause = this.options.refusalBackoffMs ?? 1000;
      this.scheduleFlush(pause / 2 + backoffDelay(0, { baseMs: pause / 2, capMs: pause }));
      return;
    }
    const item = this.outbox.update(clientId, { state: 'failed', reason: code });
    if (item) this.emitOutbox(item);
    this.flush(); // its window slot is free
  }

  private deliver(conn: Connection, message: ChatMessage): void {
    const { id } = message;
    if (
      this.seen.has(id) ||
      (this.outbox.watermark !== undefined && id <= this.outbox.watermark && conn.synced)
    ) {
      this.stats.duplicates++;
      return;
    }
    this.remember(id);
    // Our own message came back (e.g. via sync after a lost ack): that is the ack.
    if (message.clientId && this.outbox.get(message.clientId)) {
      this.handleAck({ clientId: message.clientId, id, at: message.at });
    }
    if (conn.synced) this.outbox.watermark = Math.max(this.outbox.watermark ?? 0, id);
    const { clientId, from, text, at } = message;
    this.events.emit(
      'message',
      clientId === undefined ? { id, from, text, at } : { id, from, text, at, clientId },
    );
  }

  private remember(id: number): void {
    this.seen.add(id);
    const window = this.options.dedupeWindow ?? 2000;
    if (this.seen.size > window) {
      const oldest = this.seen.values().next().value as number;
      this.seen.delete(oldest);
    }
  }

  /** Fetches everything after `since`, page by page; only a complete sync moves the watermark. */
  private async sync(conn: Connection, since: number): Promise<void> {
    let cursor = since;
    try {
      for (;;) {
        const reply = await this.request({
          type: 'sync',
          sinceId: cursor,
          limit: this.options.syncLimit ?? 100,
        });
        if (this.conn !== conn || reply.type !== 'sync') return;
        const messages = [...reply.messages].sort((a, b) => a.id - b.id);
        for (const message of messages) {
          if (message.id > since) this.deliver(conn, message);
          cursor = Math.max(cursor, message.id);
        }
        if (!reply.hasMore || messages.length === 0) break;
      }
      conn.synced = true;
      const current = this.outbox.watermark ?? 0;
      // Below `since` means hello found a restarted room and set the watermark itself.
      if (current >= since) this.outbox.watermark = Math.max(current, cursor);
    } catch (error) {
      // The next connection syncs again from the same watermark; duplicates are dropped by id.
      if (this.conn === conn) this.emitError(toAppError(error, 'network'));
    }
  }

  /**
   * Writes pending messages not yet written on the open connection, in order, keeping at most
   * `maxInFlight` unacked and pacing them with the token bucket.
   */
  private flush(): void {
    const conn = this.conn;
    if (!conn || !conn.open || this.flushTimer !== undefined) return;
    const window = Math.max(1, this.options.maxInFlight ?? 16);
    for (const item of this.outbox.pending()) {
      if (conn.written.has(item.clientId)) continue;
      if (conn.written.size >= window) return; // the next ack flushes again
      if (this.pacer && !this.pacer.take(this.timers.now())) {
        return this.scheduleFlush(this.pacer.waitMs(this.timers.now()));
      }
      conn.written.add(item.clientId);
      // Not yet written on this connection, so it is `queued` (drop() resets `sending`).
      this.emitOutbox(this.outbox.update(item.clientId, { state: 'sending' }));
      this.write(conn, { type: 'send', clientId: item.clientId, text: item.text });
      if (this.conn !== conn) return; // the write failed and dropped the connection
    }
  }

  private scheduleFlush(ms: number): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = this.timers.setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, ms);
  }

  private scheduleExpiry(): void {
    this.timers.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (!this.started) return;
    const next = this.outbox.nextExpiry();
    if (next === undefined) return;
    this.expiryTimer = this.timers.setTimeout(
      () => {
        for (const item of this.outbox.expire(this.timers.now())) {
          this.conn?.written.delete(item.clientId);
          this.emitOutbox(item);
        }
        this.scheduleExpiry();
      },
      Math.max(0, next - this.timers.now()),
    );
  }

  // ------------------------------------------------------------ events

  private setStatus(status: ChatStatus): void {
    if (this.statusValue === status) return;
    this.statusValue = status;
    this.events.emit('status', status);
  }

  private emitOutbox(item: OutgoingMessage | undefined): void {
    if (item) this.events.emit('outbox', { ...item });
  }

  private emitError(error: AppError): void {
    this.events.emit('error', error);
  }
}

function serverError(frame: { code: string; message: string }): AppError {
  return new AppError({ kind: 'business', code: frame.code, serverMessage: frame.message });
}
