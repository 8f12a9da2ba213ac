/**
 * Chat fan-out: 100 WebSocket clients in one room, 1,000 messages sent round-robin by them;
 * every client should receive every message exactly once.
 * The clients are spread over worker threads (lib/chat-clients.ts): they stand for 100 devices,
 * and a single event loop decoding every client's frames was itself the bottleneck it measured.
 * Two phases on the same sockets: a burst (all 1,000 due at once) shows the most deliveries per
 * second this machine manages in its best case; the measured phase then offers 1,000 fresh
 * messages at a fixed fraction of that rate ("a load it sustains"). Latency counts from each
 * message's due time, not from when a timer got round to sending it, so a stall is not hidden
 * (coordinated omission).
 * Goals: delivered/sent = 100% with 0 duplicates; p99 send-to-receive latency < 50 ms.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClientsCommand, ClientsConfig, ClientsEvent, PhaseReport } from './lib/chat-clients';
import { percentile } from './lib/load';
import { devLogin, loadAverage } from './lib/session';
import { spawnServers } from './lib/spawn-servers';

const CLIENTS = 100;
const MESSAGES = 1000;
const WORKERS = Number(process.env.BENCH_CHAT_WORKERS ?? 4);
/**
 * The measured phase offers this fraction of the burst's delivery rate. A quarter, not a half:
 * a burst overstates what a paced stream sustains (its frames coalesce into few writes per
 * socket), and at half the burst rate the queues grew for the whole phase (p50 > 100 ms).
 */
const LOAD_FRACTION = Number(process.env.BENCH_CHAT_FRACTION ?? 0.25);
const DRAIN_TIMEOUT_MS = 30_000;
/** Lets every worker see the phase command before the first message is due. */
const START_DELAY_MS = 50;
const REGISTER = path.join(__dirname, '..', '..', 'scripts', 'register-ts.js');

/** One worker thread holding a share of the clients. */
class ClientGroup {
  private pending?: { resolve: (event: ClientsEvent) => void; reject: (error: Error) => void };
  private failure?: Error;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (event: ClientsEvent) => {
      if (event.type === 'failed') this.fail(new Error(event.message));
      else this.settle(event);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`chat clients worker exited with ${code}`));
    });
  }

  static async start(config: ClientsConfig): Promise<ClientGroup> {
    const worker = new Worker(
      `require(${JSON.stringify(REGISTER)}); require(${JSON.stringify(path.join(__dirname, 'lib', 'chat-clients.ts'))});`,
      { eval: true, workerData: config },
    );
    const group = new ClientGroup(worker);
    await group.next();
    return group;
  }

  async run(command: Extract<ClientsCommand, { type: 'phase' }>): Promise<PhaseReport> {
    const reply = this.next();
    this.worker.postMessage(command);
    return (await reply) as PhaseReport;
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' } satisfies ClientsCommand);
    const timer = setTimeout(() => void this.worker.terminate(), 5_000);
    await new Promise((resolve) => this.worker.once('exit', resolve));
    clearTimeout(timer);
  }

  private next(): Promise<ClientsEvent> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.pending = { resolve, reject }));
  }

  private settle(event: ClientsEvent): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(event);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}

interface PhaseResult {
  delivered: number;
  duplicates: number;
  acks: number;
  errors: number;
  seconds: number;
  latencies: Float64Array;
  lags: Float64Array;
}

async function runPhase(
  groups: ClientGroup[],
  name: string,
  rate: number | null,
): Promise<PhaseResult> {
  const startAt = performance.timeOrigin + performance.now() + START_DELAY_MS;
  const reports = await Promise.all(
    groups.map((g) => g.run({ type: 'phase', name, startAt, rate })),
  );
  const sum = (pick: (r: PhaseReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
  const merge = (pick: (r: PhaseReport) => Float64Array) =>
    Float64Array.from(reports.flatMap((r) => Array.from(pick(r)))).sort();
  const lastDeliveryAt = Math.max(...reports.map((r) => r.lastDeliveryAt));
  return {
    delivered: sum((r) => r.delivered),
    duplicates: sum((r) => r.duplicates),
    acks: sum((r) => r.acks),
    errors: sum((r) => r.errors),
    seconds: Math.max(0.001, (lastDeliveryAt - startAt) / 1000),
    latencies: merge((r) => r.latencies),
    lags: merge((r) => r.lags),
  };
}

async function main(): Promise<void> {
  const servers = await spawnServers();
  const groups: ClientGroup[] = [];
  try {
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i++) tokens.push(await devLogin(servers.api, `fan${i}`));
    const share = Math.ceil(CLIENTS / WORKERS);
    for (let first = 0; first < CLIENTS; first += share) {
      groups.push(
        await ClientGroup.start({
          api: servers.api,
          tokens: tokens.slice(first, first + share),
          first,
          totalClients: CLIENTS,
          messages: MESSAGES,
          drainTimeoutMs: DRAIN_TIMEOUT_MS,
        }),
      );
    }
    const expected = CLIENTS * MESSAGES;
    console.log(
      `${CLIENTS} clients in ${groups.length} worker threads, ${MESSAGES} messages per phase; machine load average ${loadAverage()} on ${os.cpus().length} cores`,
    );

    const burst = await runPhase(groups, 'burst', null);
    const maxDeliveries = burst.delivered / burst.seconds;
    console.log(
      `burst (all due at once): ${burst.delivered}/${expected} delivered in ${burst.seconds.toFixed(2)} s = ${maxDeliveries.toFixed(0)} deliveries/s (its best case: frames coalesce)`,
    );

    const rate = Math.max(1, Math.round((maxDeliveries * LOAD_FRACTION) / CLIENTS));
    const paced = await runPhase(groups, 'paced', rate);
    const ratio = paced.delivered / expected;
    const duplicates = burst.duplicates + paced.duplicates;
    const p99 = percentile(paced.latencies, 0.99);
    console.log(
      `paced at ${rate} msg/s (${LOAD_FRACTION} × the burst's rate, ${rate * CLIENTS} deliveries/s): acks ${paced.acks}/${MESSAGES}, error frames ${paced.errors}, sender lag p99 ${percentile(paced.lags, 0.99).toFixed(2)} ms, max ${percentile(paced.lags, 1).toFixed(2)} ms`,
    );
    console.log(
      `delivered/sent = ${paced.delivered}/${expected} = ${(ratio * 100).toFixed(2)}%, duplicates ${duplicates} (both phases)  (goal 100%, 0 duplicates) ${ratio === 1 && burst.delivered === expected && duplicates === 0 ? 'MET' : 'NOT MET'}`,
    );
    console.log(
      `send→receive latency from due time at ${rate} msg/s: p50 ${percentile(paced.latencies, 0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${percentile(paced.latencies, 1).toFixed(2)} ms  (goal p99 < 50 ms) ${p99 < 50 ? 'MET' : 'NOT MET'}; load average now ${loadAverage()}`,
    );
  } finally {
    await Promise.all(groups.map((g) => g.close()));
    await servers.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
