/**
 * The headless DevTools stand-in: cold start of the CLI (process start → first page rendered and
 * the automator port open), median protocol round trip through the real automator client, and
 * the simulator process's RSS after loading. Runs the app's dist/ when it is built, else a small
 * fixture; the ratio compares it with the minimal fixture measured in the same run.
 * Goals: cold start < 1200 ms, round trip < 5 ms, RSS < 250 MB.
 */
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import path from 'path';
import automator from 'miniprogram-automator';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'simulator', 'bin', 'cli.js');
const BASIC = path.join(ROOT, 'simulator', 'test', 'fixtures', 'basic');
const RUNS = 5;
const CALLS = 300;
const GOALS = { coldStartMs: 1200, roundTripMs: 5, rssMb: 250 };

interface Started {
  child: ChildProcess;
  wsEndpoint: string;
  ms: number;
}

function start(projectPath: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [CLI, 'auto', '--project', projectPath, '--auto-port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /(ws:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
      if (match)
        resolve({ child, wsEndpoint: match[1], ms: Number(process.hrtime.bigint() - began) / 1e6 });
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${stderr}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

async function coldStart(projectPath: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = await start(projectPath);
    times.push(started.ms);
    await stop(started.child);
  }
  return median(times);
}

async function roundTrips(
  wsEndpoint: string,
): Promise<{ info: number; data: number; element: number }> {
  const mp = await automator.connect({ wsEndpoint });
  const page = await mp.currentPage();
  if (!page) throw new Error('no page');
  const time = async (fn: () => Promise<unknown>): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const began = process.hrtime.bigint();
      await fn();
      samples.push(Number(process.hrtime.bigint() - began) / 1e6);
    }
    return median(samples);
  };
  const info = await time(() => mp.checkVersion());
  const data = await time(() => page.data());
  const element = await time(() => page.$('view'));
  mp.disconnect();
  return { info, data, element };
}

async function main(): Promise<void> {
  const app = fs.existsSync(path.join(ROOT, 'dist', 'app.json')) ? ROOT : BASIC;
  const label = app === ROOT ? 'app dist/' : 'basic fixture (dist/ not built)';
  await coldStart(BASIC); // warm the bundle and transform caches: "cold" is the process, not the disk
  const appCold = await coldStart(app);
  const basicCold = await coldStart(BASIC);

  const started = await start(app);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rss = rssMb(started.child.pid as number);
  const trips = await roundTrips(started.wsEndpoint);
  await stop(started.child);

  const verdict = (value: number, goal: number) => (value < goal ? 'meets goal' : 'MISSES goal');
  console.log(`project: ${label}`);
  console.log(
    `cold start (median of ${RUNS}): ${appCold.toFixed(0)} ms (goal < ${GOALS.coldStartMs} ms, ${verdict(appCold, GOALS.coldStartMs)})`,
  );
  console.log(
    `  minimal fixture: ${basicCold.toFixed(0)} ms; app / minimal = ${(appCold / basicCold).toFixed(2)}x`,
  );
  console.log(
    `round trip (median of ${CALLS}): Page.getData ${trips.data.toFixed(2)} ms (goal < ${GOALS.roundTripMs} ms, ${verdict(trips.data, GOALS.roundTripMs)})`,
  );
  console.log(
    `  Tool.getInfo ${trips.info.toFixed(2)} ms, Page.getElement ${trips.element.toFixed(2)} ms; getData / getInfo = ${(trips.data / trips.info).toFixed(2)}x`,
  );
  console.log(
    `RSS after loading: ${rss.toFixed(0)} MB (goal < ${GOALS.rssMb} MB, ${verdict(rss, GOALS.rssMb)})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
