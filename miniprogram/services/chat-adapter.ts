/**
 * Adapts utils/socket's ChatSocket to the chat page's port: a connection held while someone
 * needs it (closed a little after the last release, so switching tabs does not reconnect),
 * the socket's detailed status folded into what a person reads, and one event stream.
 */
import type { ChatMessage } from '../../typings/api';
import type { ChatStatus } from '../utils/socket';
import type { ChatConnectionStatus, ChatEvent, ChatPort } from './ports';

/** The socket's own status, named once in utils/socket. */
export type SocketStatus = ChatStatus;

/** The part of ChatSocket this adapter uses. */
export interface ChatSocketLike {
  readonly status: SocketStatus;
  connect(): void;
  close(): void;
  send(text: string): { clientId: string };
  retry(clientId: string): boolean;
  on(event: 'message', listener: (message: ChatMessage) => void): () => void;
  on(event: 'status', listener: (status: SocketStatus) => void): () => void;
  on(
    event: 'ack',
    listener: (ack: { clientId: string; id: number; at: number }) => void,
  ): () => void;
  on(
    event: 'outbox',
    listener: (message: { clientId: string; state: string; reason?: string }) => void,
  ): () => void;
}

export interface ChatAdapterOptions {
  /** Keep the socket this long after the last release. Default 30 s. */
  lingerMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export function personStatus(status: SocketStatus, everOpened: boolean): ChatConnectionStatus {
  switch (status) {
    case 'open':
      return 'online';
    case 'offline':
      return 'offline';
    case 'idle':
    case 'closed':
      return 'idle';
    case 'backoff':
      return 'reconnecting';
    default:
      // connecting, paused, waiting for a slot or a session
      return everOpened ? 'reconnecting' : 'connecting';
  }
}

export class ChatAdapter implements ChatPort {
  private holders = 0;
  private lingerTimer: unknown;
  private everOpened = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly socket: ChatSocketLike,
    private readonly options: ChatAdapterOptions = {},
  ) {
    this.setTimer = options.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      options.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    socket.on('status', (status) => {
      if (status === 'open') this.everOpened = true;
      if (status === 'closed') this.everOpened = false;
    });
  }

  get status(): ChatConnectionStatus {
    return personStatus(this.socket.status, this.everOpened);
  }

  acquire(): () => void {
    this.holders += 1;
    if (this.lingerTimer !== undefined) {
      this.clearTimer(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    this.socket.connect();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders -= 1;
      if (this.holders > 0) return;
      this.lingerTimer = this.setTimer(() => {
        this.lingerTimer = undefined;
        if (this.holders === 0) this.socket.close();
      }, this.options.lingerMs ?? 30_000);
    };
  }

  send(text: string): string {
    return this.socket.send(text).clientId;
  }

  retry(clientId: string): void {
    this.socket.retry(clientId);
  }

  on(listener: (event: ChatEvent) => void): () => void {
    const offs = [
      this.socket.on('message', (message) => listener({ type: 'message', message })),
      this.socket.on('status', () => listener({ type: 'status', status: this.status })),
      this.socket.on('ack', (ack) => listener({ type: 'ack', ...ack })),
      this.socket.on('outbox', (message) => {
        if (message.state === 'failed') {
          listener({ type: 'failed', clientId: message.clientId, error: message.reason });
        }
      }),
    ];
    return () => offs.forEach((off) => off());
  }
}
