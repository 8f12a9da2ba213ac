import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { request, tempDataDir } from './helpers';

const root = path.join(__dirname, '..', '..');

describe('server/src/main.ts (what npm start runs)', () => {
  it('starts from the environment, prints how to open the app, stops cleanly on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const child = spawn(
      process.execPath,
      [
        '-r',
        path.join(root, 'scripts', 'register-ts.js'),
        path.join(root, 'server', 'src', 'main.ts'),
      ],
      {
        cwd: root,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const output: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stdout });
      rl.on('line', (line) => {
        output.push(line);
        const match = /API server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${output.join('\n')}`)));
    });
    try {
      const health = await request({ url }, { method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
      const text = output.join('\n');
      expect(text).toContain('WeChat DevTools');
      expect(text).toContain(path.join(root, 'dist'));
      expect(text).toContain(dataDir);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 20_000);

  it('exits non-zero with a clear message on a bad variable', async () => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        path.join(root, 'scripts', 'register-ts.js'),
        path.join(root, 'server', 'src', 'main.ts'),
      ],
      { cwd: root, env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT must be a non-negative integer/);
  }, 20_000);
});
