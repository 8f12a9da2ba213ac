/**
 * A share of the fan-out bench's chat clients, run in a worker thread: 100 clients are 100
 * devices, and one event loop parsing every client's frames would measure itself, not the server.
 * Each worker sends the messages its clients own (seq % total) on the common schedule and times
 * what its clients receive against that schedule, on the process-wide clock
 * (performance.timeOrigin + now()), so no timing crosses threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

export interface ClientsConfig {
  api: string;
  /** Tokens of this worker's clients; client numbers first .. first + tokens.length - 1. */
  tokens: string[];
  first: number;
  totalClients: number;
  messages: number;
  drainTimeoutMs: number;
}

/** Parent → worker. `rate` null: every message is due at `startAt` (a burst). */
export type ClientsCommand =
  { type: 'phase'; name: string; startAt: number; rate: number | null } | { type: 'close' };

export interface PhaseReport {
  type: 'report';
  /** Messages received per client, summed over this worker's clients. */
  delivered: number;
  duplicates: number;
  acks: number;
  errors: number;
  /** Absolute time (ms) of this worker's last delivery, 0 if none. */
  lastDeliveryAt: number;
  /** Send-to-receive from each message's due time (ms). */
  latencies: Float64Array;
  /** How late this worker sent each of its messages behind schedule (ms). */
  lags: Float64Array;
}

/** Worker → parent. */
export type ClientsEvent = { type: 'ready' } | PhaseReport | { type: 'failed'; message: string };

const clock = (): number => performance.timeOrigin + performance.now();

function connect(api: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${api.replace(/^http/, 'ws')}/ws/chat`, {
      headers: { authorization: `Bearer ${token}` },
    });
    socket.once('message', () => resolve(socket)); // the server's hello
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`closed ${code}`)));
  });
}

async function runPhase(
  config: ClientsConfig,
  sockets: WebSocket[],
  command: Extract<ClientsCommand, { type: 'phase' }>,
): Promise<PhaseReport> {
  const { messages, totalClients, first } = config;
  const dueAt = (seq: number) =>
    command.rate === null ? command.startAt : command.startAt + (seq * 1000) / command.rate;
  const prefix = `${command.name}:`;
  const latencies: number[] = [];
  const lags: number[] = [];
  const seen = sockets.map(() => new Uint8Array(messages));
  const expected = sockets.length * messages;
  let delivered = 0;
  let duplicates = 0;
  let acks = 0;
  let errors = 0;
  let lastDeliveryAt = 0;
  let allDelivered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDelivered = resolve));
  const listeners = sockets.map((socket, c) => {
    const listener = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { type: string; text?: string };
      if (frame.type === 'ack') acks++;
      else if (frame.type === 'error') errors++;
      else if (frame.type === 'message' && frame.text?.startsWith(prefix)) {
        const seq = Number(frame.text.slice(prefix.length));
        lastDeliveryAt = clock();
        latencies.push(lastDeliveryAt - dueAt(seq));
        if (seen[c][seq]) duplicates++;
        else {
          seen[c][seq] = 1;
          if (++delivered === expected) allDelivered();
        }
      }
    };
    socket.on('message', listener);
    return listener;
  });

  // The messages this worker's clients send, in schedule order.
  const own: number[] = [];
  for (let seq = 0; seq < messages; seq++) {
    const client = seq % totalClients;
    if (client >= first && client < first + sockets.length) own.push(seq);
  }
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = clock();
      while (next < own.length && dueAt(own[next]) <= now) {
        const seq = own[next++];
        lags.push(clock() - dueAt(seq));
        sockets[(seq % totalClients) - first].send(
          JSON.stringify({
            type: 'send',
            clientId: `${command.name}-${seq}`,
            text: `${prefix}${seq}`,
          }),
        );
      }
      if (next >= own.length) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    done,
    new Promise((resolve) => (timer = setTimeout(resolve, config.drainTimeoutMs))),
  ]);
  clearTimeout(timer);
  sockets.forEach((socket, c) => socket.off('message', listeners[c]));
  return {
    type: 'report',
    delivered,
    duplicates,
    acks,
    errors,
    lastDeliveryAt,
    latencies: Float64Array.from(latencies),
    lags: Float64Array.from(lags),
  };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('chat-clients runs as a worker thread');
  const config = workerData as ClientsConfig;
  const sockets = await Promise.all(config.tokens.map((token) => connect(config.api, token)));
  // Phases run one at a time; commands queue behind the running one.
  let queue = Promise.resolve();
  port.on('message', (command: ClientsCommand) => {
    queue = queue.then(async () => {
      if (command.type === 'close') {
        for (const socket of sockets) socket.terminate();
        port.close();
        return;
      }
      const report = await runPhase(config, sockets, command);
      port.postMessage(report, [
        report.latencies.buffer as ArrayBuffer,
        report.lags.buffer as ArrayBuffer,
      ]);
    });
  });
  port.postMessage({ type: 'ready' } satisfies ClientsEvent);
}

main().catch((error: unknown) => {
  parentPort?.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  } satisfies ClientsEvent);
});
