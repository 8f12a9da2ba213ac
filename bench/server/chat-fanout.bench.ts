/**
 * Chat fan-out: 100 WebSocket clients in one room, 1,000 messages sent round-robin by them;
 * every client should receive every message exactly once.
 * Two phases on the same sockets: a burst (all 1,000 at once) measures the most deliveries per
 * second this machine sustains; the measured phase then offers 1,000 fresh messages at a fixed
 * fraction of that rate ("a load it sustains"). Latency counts from each message's due time, not
 * from when the timer got round to sending it, so a stall is not hidden (coordinated omission).
 * Goals: delivered/sent = 100% with 0 duplicates; p99 send-to-receive latency < 50 ms.
 */
import os from 'node:os';
import WebSocket from 'ws';
import { percentile } from './lib/load';
import { devLogin, loadAverage } from './lib/session';
import { spawnServers } from './lib/spawn-servers';

const CLIENTS = 100;
const MESSAGES = 1000;
/**
 * The measured phase offers this fraction of the burst's delivery rate. A quarter, not a half:
 * a burst overstates what a paced stream sustains (its frames coalesce into few writes per
 * socket), and at half the burst rate the queues grew for the whole phase (p50 > 100 ms).
 */
const LOAD_FRACTION = Number(process.env.BENCH_CHAT_FRACTION ?? 0.25);
const DRAIN_TIMEOUT_MS = 30_000;

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

interface PhaseResult {
  delivered: number;
  duplicates: number;
  acks: number;
  errors: number;
  /** From first due time to last delivery. */
  seconds: number;
  latencies: Float64Array;
  /** How late the sender was behind its schedule (ms), sorted. */
  lags: Float64Array;
}

/**
 * Sends MESSAGES messages (text `<phase>:<seq>`) round-robin; `rate` messages/s, or all at once
 * when rate is Infinity. Resolves when every client has every message or after the drain timeout.
 */
async function runPhase(sockets: WebSocket[], phase: string, rate: number): Promise<PhaseResult> {
  const dueAt = new Float64Array(MESSAGES);
  const latencies: number[] = [];
  const lags: number[] = [];
  const seen = sockets.map(() => new Set<number>());
  const expected = CLIENTS * MESSAGES;
  let delivered = 0;
  let duplicates = 0;
  let acks = 0;
  let errors = 0;
  let lastDelivery = 0;
  let allDelivered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDelivered = resolve));
  const prefix = `${phase}:`;
  const listeners = sockets.map((socket, c) => {
    const listener = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { type: string; text?: string };
      if (frame.type === 'ack') acks++;
      else if (frame.type === 'error') errors++;
      else if (frame.type === 'message' && frame.text?.startsWith(prefix)) {
        const seq = Number(frame.text.slice(prefix.length));
        lastDelivery = performance.now();
        latencies.push(lastDelivery - dueAt[seq]);
        if (seen[c].has(seq)) duplicates++;
        else {
          seen[c].add(seq);
          if (++delivered === expected) allDelivered();
        }
      }
    };
    socket.on('message', listener);
    return listener;
  });

  const start = performance.now();
  for (let seq = 0; seq < MESSAGES; seq++) {
    dueAt[seq] = Number.isFinite(rate) ? start + (seq * 1000) / rate : start;
  }
  let next = 0;
  const sendDue = () => {
    const now = performance.now();
    while (next < MESSAGES && dueAt[next] <= now) {
      lags.push(performance.now() - dueAt[next]);
      sockets[next % CLIENTS].send(
        JSON.stringify({ type: 'send', clientId: `${phase}-${next}`, text: `${prefix}${next}` }),
      );
      next++;
    }
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      sendDue();
      if (next >= MESSAGES) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    done,
    new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  sockets.forEach((socket, c) => socket.off('message', listeners[c]));
  return {
    delivered,
    duplicates,
    acks,
    errors,
    seconds: ((lastDelivery || performance.now()) - start) / 1000,
    latencies: Float64Array.from(latencies).sort(),
    lags: Float64Array.from(lags).sort(),
  };
}

async function main(): Promise<void> {
  const servers = await spawnServers();
  const sockets: WebSocket[] = [];
  try {
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i++) tokens.push(await devLogin(servers.api, `fan${i}`));
    sockets.push(...(await Promise.all(tokens.map((t) => connect(servers.api, t)))));
    const expected = CLIENTS * MESSAGES;
    console.log(
      `${CLIENTS} clients, ${MESSAGES} messages per phase; machine load average ${loadAverage()} on ${os.cpus().length} cores`,
    );

    const burst = await runPhase(sockets, 'burst', Infinity);
    const maxDeliveries = burst.delivered / burst.seconds;
    console.log(
      `burst (all at once): ${burst.delivered}/${expected} delivered in ${burst.seconds.toFixed(2)} s = ${maxDeliveries.toFixed(0)} deliveries/s (its best case: frames coalesce)`,
    );

    const rate = Math.max(1, Math.round((maxDeliveries * LOAD_FRACTION) / CLIENTS));
    const measured = await runPhase(sockets, 'paced', rate);
    const ratio = measured.delivered / expected;
    const p99 = percentile(measured.latencies, 0.99);
    console.log(
      `paced at ${rate} msg/s (${LOAD_FRACTION} × the burst's rate, ${rate * CLIENTS} deliveries/s): acks ${measured.acks}/${MESSAGES}, error frames ${measured.errors}, sender lag p99 ${percentile(measured.lags, 0.99).toFixed(2)} ms, max ${percentile(measured.lags, 1).toFixed(2)} ms`,
    );
    console.log(
      `delivered/sent = ${measured.delivered}/${expected} = ${(ratio * 100).toFixed(2)}%, duplicates ${measured.duplicates + burst.duplicates} (both phases)  (goal 100%, 0 duplicates) ${ratio === 1 && burst.delivered === expected && measured.duplicates + burst.duplicates === 0 ? 'MET' : 'NOT MET'}`,
    );
    console.log(
      `send→receive latency from due time at ${rate} msg/s: p50 ${percentile(measured.latencies, 0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${percentile(measured.latencies, 1).toFixed(2)} ms  (goal p99 < 50 ms) ${p99 < 50 ? 'MET' : 'NOT MET'}; load average now ${loadAverage()}`,
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
