/// <reference types="miniprogram-api-typings" />
/**
 * Pipeline overhead, measured side by side in one run (10k GETs, 10 at a time, median of rounds):
 *   A. bare wx.request on the fake wx (no-op server: replies on the next microtask);
 *   B. the full pipeline (monitor, error policy, cache, dedupe, session, retry, scheduler,
 *      transport, envelope) on a no-op transport (resolves at once with the same envelope);
 *   C. the full pipeline on the same fake wx as A.
 * The goal (≤ 1.5×) is stated for B vs A; C vs A is printed too, for the whole picture.
 */
import { createHttpClient } from '../../miniprogram/utils/http';
import type { Transport } from '../../miniprogram/utils/transport';
import { createFakeWx } from '../../test/unit/fake-wx';

const REQUESTS = 10_000;
const ROUNDS = 7;
const CONCURRENCY = 10;
const ENVELOPE = { success: true, data: { id: 1 }, traceId: 't' };
const LOGIN = {
  success: true,
  data: { token: 't', expiresAt: Date.now() + 3_600_000, user: { id: 'u' } },
  traceId: 't',
};

function fakeWx() {
  const fake = createFakeWx();
  fake.server.keepLog = false; // a growing log would dominate GC in both arms
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

/** Each arm is built once and reused, like the app's one client (closures stay warm). */
function bareArm(): () => Promise<number> {
  const fake = fakeWx();
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

async function pipelineArm(onFakeWx: boolean): Promise<() => Promise<number>> {
  const fake = fakeWx();
  const client = createHttpClient({
    baseURL: 'https://api.test',
    wx: fake.wx,
    transport: onFakeWx ? undefined : noopTransport,
  });
  await client.get('/api/items/0'); // log in once, outside the measurement
  return () => inBatches((i) => client.get(`/api/items/${i % 100}`));
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const perRequest = (ms: number): string => `${((ms * 1000) / REQUESTS).toFixed(2)} µs/request`;

async function main(): Promise<void> {
  const bare = bareArm();
  const noop = await pipelineArm(false);
  const onFake = await pipelineArm(true);
  for (const arm of [bare, noop, onFake]) await arm(); // warm-up (JIT)
  const times = { bare: [] as number[], noop: [] as number[], fake: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    gc();
    times.bare.push(await bare());
    gc();
    times.noop.push(await noop());
    gc();
    times.fake.push(await onFake());
  }
  const bareMs = median(times.bare);
  const noopMs = median(times.noop);
  const fakeMs = median(times.fake);
  const ratio = noopMs / bareMs;
  console.log(
    `pipeline overhead: ${REQUESTS} GETs, ${CONCURRENCY} at a time, median of ${ROUNDS} rounds`,
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
