import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export interface BenchServers {
  api: string;
  bare: string;
  /** CPU time (user + system, ms) the server process has used so far. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const root = path.join(__dirname, '..', '..', '..');

/** Starts lib/server-process.ts in its own Node process and waits for its URLs. */
export async function spawnServers(env: Record<string, string> = {}): Promise<BenchServers> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof" to profile the server side.
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '-r',
      path.join(root, 'scripts', 'register-ts.js'),
      path.join(__dirname, 'server-process.ts'),
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The URLs line starts with '{'; other output (e.g. --trace-gc) goes to our stdout.
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    let found = false;
    rl.on('line', (text) => {
      if (!found && text.startsWith('{"api"')) {
        found = true;
        resolve(text);
      } else if (process.env.BENCH_SERVER_OUTPUT) {
        process.stdout.write(`[server] ${text}\n`);
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const urls = JSON.parse(line) as { api: string; bare: string };
  return {
    ...urls,
    cpuMs() {
      // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (100 Hz on Linux).
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    async stop() {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
