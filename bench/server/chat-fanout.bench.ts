/**
 * Chat fan-out: 100 WebSocket clients in one room, 1,000 messages sent round-robin by them at a
 * steady pace; every client should receive every message exactly once.
 * Goals: delivered/sent = 100% with 0 duplicates; p99 send-to-receive latency < 50 ms.
 */
import WebSocket from 'ws';
import type { ChatServerFrame } from '../../typings/api';
import { percentile } from './lib/load';
import { spawnServers } from './lib/spawn-servers';

const CLIENTS = 100;
const MESSAGES = 1000;
const MESSAGES_PER_TICK = 5;
const TICK_MS = 10;
const DRAIN_TIMEOUT_MS = 30_000;

async function login(api: string, i: number): Promise<string> {
  const res = await fetch(`${api}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `dev-fan${i}-1` }),
  });
  return ((await res.json()) as { data: { token: string } }).data.token;
}

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

async function main(): Promise<void> {
  const servers = await spawnServers();
  const sockets: WebSocket[] = [];
  try {
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i++) tokens.push(await login(servers.api, i));
    sockets.push(...(await Promise.all(tokens.map((t) => connect(servers.api, t)))));

    const sentAt = new Float64Array(MESSAGES);
    const latencies: number[] = [];
    const seen = sockets.map(() => new Set<number>());
    let delivered = 0;
    let duplicates = 0;
    let acks = 0;
    let errors = 0;
    let allDelivered: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allDelivered = resolve));
    sockets.forEach((socket, c) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as ChatServerFrame;
        if (frame.type === 'ack') acks++;
        else if (frame.type === 'error') errors++;
        else if (frame.type === 'message') {
          const seq = Number(frame.text);
          latencies.push(performance.now() - sentAt[seq]);
          if (seen[c].has(seq)) duplicates++;
          else {
            seen[c].add(seq);
            delivered++;
            if (delivered === CLIENTS * MESSAGES) allDelivered();
          }
        }
      });
    });

    const started = performance.now();
    let next = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (let k = 0; k < MESSAGES_PER_TICK && next < MESSAGES; k++, next++) {
          sentAt[next] = performance.now();
          sockets[next % CLIENTS].send(
            JSON.stringify({ type: 'send', clientId: `m-${next}`, text: String(next) }),
          );
        }
        if (next >= MESSAGES) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });
    const sendSeconds = (performance.now() - started) / 1000;
    await Promise.race([
      done,
      new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref()),
    ]);

    const sorted = Float64Array.from(latencies).sort();
    const expected = CLIENTS * MESSAGES;
    const ratio = delivered / expected;
    const p99 = percentile(sorted, 0.99);
    console.log(
      `${CLIENTS} clients, ${MESSAGES} messages sent in ${sendSeconds.toFixed(2)} s (${(MESSAGES / sendSeconds).toFixed(0)} msg/s, ${(expected / sendSeconds).toFixed(0)} deliveries/s); acks ${acks}/${MESSAGES}, error frames ${errors}`,
    );
    console.log(
      `delivered/sent = ${delivered}/${expected} = ${(ratio * 100).toFixed(2)}%, duplicates ${duplicates}  (goal 100%, 0 duplicates) ${ratio === 1 && duplicates === 0 ? 'MET' : 'NOT MET'}`,
    );
    console.log(
      `send→receive latency p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${percentile(sorted, 1).toFixed(2)} ms  (goal p99 < 50 ms) ${p99 < 50 ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    for (const socket of sockets) socket.terminate();
    await servers.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
