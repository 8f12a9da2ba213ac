/**
 * The specs share one phone and one backend, so they must not run at the same time even when
 * jest uses several workers: each spec file holds this cross-process lock while it runs.
 */
import fs from 'fs';
import path from 'path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function acquireLock(dir: string, timeoutMs = 300_000): Promise<() => void> {
  const file = path.join(dir, 'spec.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      // A worker that died while holding the lock does not block the rest of the run.
      if (!owner || owner === process.pid || !alive(owner)) fs.rmSync(file, { force: true });
      else if (Date.now() > deadline) throw new Error(`e2e lock held by pid ${owner} for too long`);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
