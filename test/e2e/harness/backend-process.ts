/**
 * Runs the local backend as a child process with a fresh data dir.
 *
 * WHY a child process rather than `startServer()` in jest's own process: its structured log goes to
 * a file that failing specs copy the tail of, jest's output stays clean, and the backend does not
 * compete with the simulator and the specs for one event loop.
 */
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import fs from 'fs';
import http from 'http';
import net from 'net';
import path from 'path';
import { REPO_ROOT } from './build-app';

export interface BackendProcess {
  origin: string;
  port: number;
  logFile: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the backend on `port` (picked with freePort() so the app can be built meanwhile). */
export async function startBackend(
  port: number,
  dataDir: string,
  logFile: string,
): Promise<BackendProcess> {
  const entry = path.join(REPO_ROOT, 'server', 'src', 'main.ts');
  if (!fs.existsSync(entry)) throw new Error(`backend entry missing: ${entry}`);
  return spawnBackend(entry, port, dataDir, logFile);
}

async function spawnBackend(
  entry: string,
  port: number,
  dataDir: string,
  logFile: string,
): Promise<BackendProcess> {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    ['-r', path.join(REPO_ROOT, 'scripts', 'register-ts.js'), entry],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', log, log],
    },
  );
  fs.closeSync(log);
  killWithParent(child);
  const origin = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`backend exited with ${code} before it answered; see ${logFile}`)),
    ),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForHealth(origin, 20_000), exited]);
  return { origin, port, logFile, stop: () => stopChild(child) };
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

async function waitForHealth(origin: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  while (Date.now() < deadline) {
    if ((await getStatus(`${origin}/api/health`)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 250);
  }
  throw new Error(`backend at ${origin} did not answer /api/health within ${timeoutMs} ms`);
}

const orphans = new Set<ChildProcess>();
let exitHooked = false;

/**
 * Makes sure `child` does not outlive this process even when jest is killed before global
 * teardown runs (Ctrl-C, a CI timeout): on exit or on SIGINT/SIGTERM it gets a SIGTERM.
 */
export function killWithParent(child: ChildProcess): void {
  orphans.add(child);
  child.once('exit', () => orphans.delete(child));
  if (exitHooked) return;
  exitHooked = true;
  const killAll = () => {
    for (const running of orphans) running.kill('SIGTERM');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** SIGTERM (graceful shutdown), then SIGKILL if it hangs. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
