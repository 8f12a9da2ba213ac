import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'net';

export type MethodHandler = (params: Record<string, unknown>) => unknown;

export interface ProtocolServer {
  port: number;
  /** Push an event (a message without id) to every connected client. */
  broadcast(method: string, params: unknown): void;
  close(): Promise<void>;
}

/**
 * The automator's transport: JSON requests `{id, method, params}` over a WebSocket answered with
 * `{id, result}` or `{id, error: {message}}`; events are messages without id.
 */
export function startProtocolServer(
  port: number,
  handle: (method: string, params: Record<string, unknown>, socket: WebSocket) => Promise<unknown>,
): Promise<ProtocolServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
    const sockets = new Set<WebSocket>();
    wss.once('error', reject);
    wss.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => sockets.delete(socket));
      socket.on('message', (raw) => {
        let request: { id?: unknown; method?: unknown; params?: unknown };
        try {
          request = JSON.parse(raw.toString()) as typeof request;
        } catch {
          send(socket, { error: { message: 'invalid JSON message' } });
          return;
        }
        const { id, method } = request;
        const params = (
          request.params && typeof request.params === 'object' ? request.params : {}
        ) as Record<string, unknown>;
        if (typeof method !== 'string') {
          send(socket, { id, error: { message: 'method must be a string' } });
          return;
        }
        handle(method, params, socket).then(
          (result) => send(socket, { id, result: result ?? {} }),
          (error: unknown) => send(socket, { id, error: { message: errorMessage(error) } }),
        );
      });
    });
    wss.once('listening', () => {
      wss.off('error', reject);
      const address = wss.address() as AddressInfo;
      resolve({
        port: address.port,
        broadcast(method, params) {
          for (const socket of sockets) send(socket, { method, params });
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.terminate();
            wss.close(() => done());
          }),
      });
    });
  });
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState !== socket.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(message);
  } catch (error) {
    const id = (message as { id?: unknown }).id;
    text = JSON.stringify({
      id,
      error: { message: `result is not serializable: ${errorMessage(error)}` },
    });
  }
  socket.send(text);
}

function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && typeof (error as Error).message === 'string')
    return (error as Error).message;
  if (
    error &&
    typeof error === 'object' &&
    typeof (error as { errMsg?: unknown }).errMsg === 'string'
  ) {
    return (error as { errMsg: string }).errMsg;
  }
  return String(error);
}
