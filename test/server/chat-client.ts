import WebSocket from 'ws';
import type { ChatServerFrame } from '../../typings/api';

/** A test client for /ws/chat: records frames and waits for the ones a test expects. */
export class ChatClient {
  readonly frames: ChatServerFrame[] = [];
  private waiters: Array<{
    test: (f: ChatServerFrame) => boolean;
    resolve: (f: ChatServerFrame) => void;
  }> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ChatServerFrame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static connect(baseUrl: string, options: { token?: string; query?: string } = {}): ChatClient {
    const url = `${baseUrl.replace(/^http/, 'ws')}/ws/chat${options.query ?? ''}`;
    const headers = options.token ? { authorization: `Bearer ${options.token}` } : undefined;
    return new ChatClient(new WebSocket(url, { headers }));
  }

  /** Connected and authenticated: the server's hello arrived. */
  async ready(): Promise<this> {
    await this.next((f) => f.type === 'hello');
    return this;
  }

  /** Resolves with the first frame (already received or coming) that passes `test`. */
  next<T extends ChatServerFrame['type']>(
    test: (f: ChatServerFrame) => boolean,
    _type?: T,
  ): Promise<Extract<ChatServerFrame, { type: T }>> {
    const seen = this.frames.find(test);
    if (seen) return Promise.resolve(seen as Extract<ChatServerFrame, { type: T }>);
    return new Promise((resolve) =>
      this.waiters.push({ test, resolve: resolve as (f: ChatServerFrame) => void }),
    );
  }

  /** Frames after index `from` passing `test` (for "exactly once" checks). */
  count(test: (f: ChatServerFrame) => boolean): number {
    return this.frames.filter(test).length;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Round trip: every frame sent before has been handled once the pong arrives. */
  async flush(reqId = `flush-${Math.random()}`): Promise<void> {
    this.send({ type: 'ping', reqId });
    await this.next((f) => f.type === 'pong' && f.reqId === reqId);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}
