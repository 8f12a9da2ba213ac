/** A second chat participant: a plain WebSocket client on /ws/chat, logged in as another user. */
import WebSocket from 'ws';
import type { ChatMessage, ChatServerFrame } from '../../../typings/api';
import type { Backend } from './backend';
import { waitFor } from './wait';

export class ChatPeer {
  readonly messages: ChatMessage[] = [];
  private counter = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      let frame: ChatServerFrame;
      try {
        frame = JSON.parse(raw.toString()) as ChatServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'message') {
        const { type: _type, ...message } = frame;
        this.messages.push(message);
      }
    });
  }

  static async connect(backend: Backend, userKey: string): Promise<ChatPeer> {
    const { token } = await backend.login(userKey);
    const url = `${backend.origin.replace(/^http/, 'ws')}/ws/chat?token=${encodeURIComponent(token)}`;
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('close', (code) => reject(new Error(`chat peer closed with ${code}`)));
    });
    socket.send(JSON.stringify({ type: 'hello' }));
    return new ChatPeer(socket);
  }

  /** Sends a message and resolves once the server acknowledged it. */
  async say(text: string): Promise<void> {
    const clientId = `peer-${Date.now()}-${++this.counter}`;
    const acked = new Promise<void>((resolve) => {
      const onFrame = (raw: WebSocket.RawData) => {
        const frame = JSON.parse(raw.toString()) as ChatServerFrame;
        if (frame.type === 'ack' && frame.clientId === clientId) {
          this.socket.off('message', onFrame);
          resolve();
        }
      };
      this.socket.on('message', onFrame);
    });
    this.socket.send(JSON.stringify({ type: 'send', clientId, text }));
    await waitFor(() => acked.then(() => true), { message: `the ack of "${text}"` });
  }

  texts(): string[] {
    return this.messages.map((message) => message.text);
  }

  close(): void {
    this.socket.close();
  }
}
