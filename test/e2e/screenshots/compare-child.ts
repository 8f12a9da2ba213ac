/** Runs compare-cli.ts in a plain node process (the jest side of the gallery comparison). */
import { execFile } from 'child_process';
import path from 'path';
import { REPO_ROOT } from '../harness/build-app';
import type { Comparison } from './compare';
import type { CompareJob } from './compare-cli';

export function compareInChild(job: CompareJob): Promise<Comparison[]> {
  const args = [
    '-r',
    path.join(REPO_ROOT, 'scripts', 'register-ts.js'),
    path.join(__dirname, 'compare-cli.ts'),
    JSON.stringify(job),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: REPO_ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`comparing screenshots failed: ${stderr || error.message}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as Comparison[]);
        } catch {
          reject(new Error(`comparing screenshots: unreadable answer ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}
