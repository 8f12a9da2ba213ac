import { spawn, type ChildProcess } from 'child_process';
import net from 'net';
import path from 'path';
import automator from 'miniprogram-automator';
import { BASIC, currentPage, waitFor, type SandboxGlobals } from './helpers';

const CLI = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'wechat-devtools-sim');

jest.setTimeout(40000);

// automator.launch() arms a 15 s timer when the DevTools process exits (to give up waiting for
// it); unref it so this file does not keep jest alive after the simulator has exited.
const realSetTimeout = global.setTimeout;
beforeAll(() => {
  global.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = realSetTimeout(fn, ms, ...args);
    if (ms === 15000) timer.unref();
    return timer;
  }) as typeof setTimeout;
});
afterAll(() => {
  global.setTimeout = realSetTimeout;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/**
 * What a test started and must end even when an assertion fails first: a simulator process or a
 * client connection left open keeps jest from ever exiting (CI would time out).
 */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function endOnCleanup(child: ChildProcess): void {
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

describe('the DevTools-compatible CLI', () => {
  it('works with automator.launch({ cliPath, projectPath }) and exits on mp.close()', async () => {
    const port = await freePort();
    const mp = await automator.launch({
      cliPath: CLI,
      projectPath: BASIC,
      port,
      trustProject: true,
    });
    let closed = false;
    cleanups.push(async () => {
      // Tool.close (sent by mp.close) ends the simulator that launch() started.
      if (!closed) await mp.close().catch(() => undefined);
      mp.disconnect();
    });
    const page = await currentPage(mp);
    expect(page.path).toBe('pages/index/index');
    await mp.callWxMethod('reLaunch', { url: '/pages/errors/errors' });
    const errorsPage = await currentPage(mp);
    await (await errorsPage.$('#reject'))?.tap();
    // An unhandled rejection in app code reaches App.onUnhandledRejection (own process: jest
    // would fail any in-process suite that has one).
    const rejections = await waitFor(async () => {
      const value = (await mp.evaluate(
        () => (globalThis as unknown as SandboxGlobals).getApp().globalData.rejections,
      )) as string[];
      return value.length ? value : null;
    });
    expect(rejections).toEqual(['nobody caught me']);
    expect(
      await mp.evaluate(
        () => (globalThis as unknown as SandboxGlobals).getApp().globalData.rejectionEventReaches,
      ),
    ).toBe('undefined');
    closed = true;
    await mp.close();
    await waitFor(() => portIsClosed(port), 5000);
  });

  it('ignores other DevTools flags and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        CLI,
        'auto',
        '--project',
        BASIC,
        '--auto-port',
        String(port),
        '--trust-project',
        '--ticket',
        'abc',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    endOnCleanup(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await waitFor(() => stdout.includes(`ws://127.0.0.1:${port}`), 15000);
    const mp = await automator.connect({ wsEndpoint: `ws://127.0.0.1:${port}` });
    cleanups.push(() => mp.disconnect());
    expect((await currentPage(mp)).path).toBe('pages/index/index');
    mp.disconnect();
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('fails with a clear message when the project cannot be loaded', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'auto', '--project', path.join(BASIC, 'nowhere'), '--auto-port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    endOnCleanup(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (value) => resolve(value)),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('is not a directory');
  });
});
