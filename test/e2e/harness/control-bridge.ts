/**
 * A loopback HTTP endpoint through which specs (running in jest workers, away from the process
 * that owns the simulator) call simulator controls and restart the app.
 *
 *   POST /control  {"method": "setNetwork", "args": [{"online": false}]} → {"result": ...}
 *   POST /restart  {}                                                      → {"wsEndpoint": ...}
 *
 * Errors come back as HTTP 500 with {"error": message} so the spec shows the simulator's reason.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import type { Phone } from './phone';

export interface ControlBridge {
  url: string;
  close(): Promise<void>;
}

export interface ControlRequest {
  method?: string;
  args?: unknown[];
}

export async function startControlBridge(
  phone: Phone,
  onRestart: (wsEndpoint: string) => void,
): Promise<ControlBridge> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      void handle(request.url ?? '', body).then(
        (result) => reply(response, 200, result),
        (error: unknown) =>
          reply(response, 500, { error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });

  async function handle(url: string, body: string): Promise<unknown> {
    const input = (body ? JSON.parse(body) : {}) as ControlRequest;
    if (url === '/restart') {
      const wsEndpoint = await phone.restart();
      onRestart(wsEndpoint);
      return { wsEndpoint };
    }
    if (url === '/control') {
      if (typeof input.method !== 'string') throw new Error('control: "method" is required');
      const result = await phone.control(input.method, Array.isArray(input.args) ? input.args : []);
      return { result: result === undefined ? null : result };
    }
    throw new Error(`control bridge: unknown path ${url}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(response: http.ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}
