/// <reference types="miniprogram-api-typings" />
/**
 * Pipeline overhead, measured side by side in one run: 10k GETs per round, 10 at a time.
 *   A. bare wx.request on the fake wx (no-op server: replies on the next microtask);
 *   B. the full pipeline (monitor, error policy, cache, dedupe, session, retry, scheduler,
 *      transport, envelope) on a no-op transport (resolves at once with the same envelope);
 *   C. the full pipeline on the same fake wx as A.
 * Each arm runs in its own worker thread (own JIT and heap, like the app's one client), and the
 * main thread alternates rounds between them so machine noise hits every arm alike.
 * The goal (≤ 1.5×) is stated for B vs A; C vs A is printed too, for the whole picture.
 */
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { createHttpClient } from '../../miniprogram/utils/http';
import type { Transport } from '../../miniprogram/utils/transport';
import { createFakeWx } from '../../test/unit/fake-wx';

type Arm = 'bare' | 'noop' | 'fake';
const REQUESTS = 10_000;
const ROUNDS = 15;
const CONCURRENCY = 10;
const ENVELOPE = { success: true, data: { id: 1 }, traceId: 't' };
const LOGIN = {
  success: true,
  data: { token: 't', expiresAt: Date.now() + 3_600_000, user: { id: 'u' } },
  traceId: 't',
};

function fakeWx() {
  const fake = createFakeWx();
  fake.server.keepLog = false; // a growing log would dominate GC
  fake.server.on('GET', '/api/items/:id', () => ({ data: ENVELOPE }));
  fake.server.on('POST', '/api/auth/login', () => ({ data: LOGIN }));
  return fake;
}

const noopTransport: Transport = {
  send: async (request) => ({
    status: 200,
    header: {},
    data: request.url.endsWith('/login') ? LOGIN : ENVELOPE,
    bytes: 0,
  }),
};

async function inBatches(run: (i: number) => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i += CONCURRENCY) {
    const batch: Array<Promise<unknown>> = [];
    for (let j = 0; j < CONCURRENCY; j++) batch.push(run(i + j));
    await Promise.all(batch);
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function buildArm(arm: Arm): Promise<() => Promise<number>> {
  const fake = fakeWx();
  if (arm === 'bare') {
    return () =>
      inBatches(
        (i) =>
          new Promise((resolve, reject) => {
            fake.wx.request({
              url: `https://api.test/api/items/${i % 100}`,
              header: { 'X-Request-Id': String(i) },
              success: resolve,
              fail: reject,
            });
          }),
      );
  }
  const client = createHttpClient({
    baseURL: 'https://api.test',
    wx: fake.wx,
    transport: arm === 'noop' ? noopTransport : undefined,
  });
  await client.get('/api/items/0'); // log in once, outside the measurement
  return () => inBatches((i) => client.get(`/api/items/${i % 100}`));
}

/** Worker side: build the arm, warm it, then run one round per message. */
async function serveArm(arm: Arm): Promise<void> {
  const run = await buildArm(arm);
  await run(); // warm-up (JIT)
  parentPort?.on('message', () => {
    void run().then((ms) => parentPort?.postMessage(ms));
  });
  parentPort?.postMessage('ready');
}

function startArm(
  arm: Arm,
): Promise<{ round: () => Promise<number>; stop: () => Promise<number> }> {
  const register = path.join(__dirname, '..', '..', 'scripts', 'register-ts.js');
  const worker = new Worker(
    `require(${JSON.stringify(register)}); require(${JSON.stringify(__filename)});`,
    {
      eval: true,
      workerData: { arm },
    },
  );
  // One message or one error per round; each removes the other's listener, so none pile up.
  const next = (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const onMessage = (value: unknown): void => {
        worker.off('error', onError);
        resolve(value);
      };
      const onError = (error: Error): void => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
    });
  return next().then(() => ({
    round: () => {
      const result = next() as Promise<number>;
      worker.postMessage('run');
      return result;
    },
    stop: () => worker.terminate(),
  }));
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const perRequest = (ms: number): string => `${((ms * 1000) / REQUESTS).toFixed(2)} µs/request`;

async function main(): Promise<void> {
  const arms = {
    bare: await startArm('bare'),
    noop: await startArm('noop'),
    fake: await startArm('fake'),
  };
  const times: Record<Arm, number[]> = { bare: [], noop: [], fake: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const arm of ['bare', 'noop', 'fake'] as const) times[arm].push(await arms[arm].round());
    }
  } finally {
    await Promise.all(Object.values(arms).map((arm) => arm.stop()));
  }
  const [bareMs, noopMs, fakeMs] = [median(times.bare), median(times.noop), median(times.fake)];
  const ratio = noopMs / bareMs;
  console.log(
    `pipeline overhead: ${REQUESTS} GETs per round, ${CONCURRENCY} at a time, median of ${ROUNDS} alternating rounds`,
  );
  console.log(
    `  A bare wx.request, fake wx:          ${bareMs.toFixed(1)} ms (${perRequest(bareMs)})`,
  );
  console.log(
    `  B full pipeline, no-op transport:    ${noopMs.toFixed(1)} ms (${perRequest(noopMs)})`,
  );
  console.log(
    `  C full pipeline, fake wx:            ${fakeMs.toFixed(1)} ms (${perRequest(fakeMs)})`,
  );
  console.log(`  B/A: ${ratio.toFixed(2)}× (goal ≤ 1.5×) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);
  console.log(
    `  C/A: ${(fakeMs / bareMs).toFixed(2)}× (pipeline + wx.request vs wx.request alone)`,
  );
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  serveArm((workerData as { arm: Arm }).arm).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
