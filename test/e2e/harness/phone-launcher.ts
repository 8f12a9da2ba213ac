/** Starts the headless phone (phone-process.ts) as a child process and waits until it answers. */
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { killWithParent, stopChild } from './backend-process';
import { REPO_ROOT } from './build-app';
import type { PhoneOptions } from './phone';

export const PHONE_READY_PREFIX = 'PHONE-READY ';

export interface PhoneProcess {
  wsEndpoint: string;
  controlUrl: string;
  stop(): Promise<void>;
}

export function startPhoneProcess(
  options: PhoneOptions,
  logFile: string,
  timeoutMs = 30_000,
): Promise<PhoneProcess> {
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(REPO_ROOT, 'scripts', 'register-ts.js'),
      path.join(__dirname, 'phone-process.ts'),
      JSON.stringify(options),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr.pipe(log);
  killWithParent(child);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      void stopChild(child, 1000);
      reject(new Error(`the phone did not start within ${timeoutMs} ms; see ${logFile}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the phone exited with ${code} while starting; see ${logFile}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((text) => text.startsWith(PHONE_READY_PREFIX));
      if (!line) return;
      clearTimeout(timer);
      child.stdout.pipe(log);
      const ready = JSON.parse(line.slice(PHONE_READY_PREFIX.length)) as {
        wsEndpoint: string;
        controlUrl: string;
      };
      resolve({ ...ready, stop: () => stopChild(child, 5000) });
    });
  });
}
