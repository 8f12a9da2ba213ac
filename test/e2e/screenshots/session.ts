/**
 * One screenshot session: a fresh backend (own temp data dir, /__dev on), the app built against
 * it, and a rendering phone (render-phone-process.ts) of its own, with the harness's Device and
 * Backend helpers pointed at them. Used by `npm run screenshots` and by the visual check spec,
 * never sharing state with the e2e specs' phone and backend.
 */
import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import { Backend, httpRequest } from '../harness/backend';
import { freePort, startBackend, stopChild } from '../harness/backend-process';
import { buildApp, REPO_ROOT } from '../harness/build-app';
import { AppConnection } from '../harness/connection';
import { Device } from '../harness/device';
import { LARGE_FIXTURE, prepareFixtures } from '../harness/fixtures';
import type { E2eState } from '../harness/state';
import { RENDER_PHONE_READY } from './render-phone';
import type { RenderPhoneOptions, Theme } from './render-phone';

export interface GallerySession {
  readonly mp: MiniProgram;
  readonly app: AppConnection;
  readonly device: Device;
  readonly backend: Backend;
  readonly state: E2eState;
  /** The simulated WeChat user of this session. */
  readonly userKey: string;
  /** App restarts so far (each one starts a new simulator, hence a new Chromium). */
  readonly restarts: number;
  /** Restarts the app on the same phone data with the simulated system theme; reconnects. */
  restartWithTheme(theme: Theme): Promise<MiniProgram>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** The simulated WeChat user (own data on the backend). */
  userKey: string;
  /** Print start-up timings. */
  verbose?: boolean;
  /**
   * An app already built against a running backend (the e2e harness's): no build, no backend of
   * our own; the phone, its data and the user stay this session's own.
   */
  reuse?: Pick<E2eState, 'projectPath' | 'apiBase' | 'backendLog'>;
}

type Stop = () => Promise<void>;

export async function startGallerySession(options: SessionOptions): Promise<GallerySession> {
  const startedAt = Date.now();
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-gallery-'));
  const stops: Stop[] = [async () => fs.rmSync(tempRoot, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const dirs = {
      data: path.join(tempRoot, 'backend-data'),
      phone: path.join(tempRoot, 'phone-data'),
      phoneTemp: path.join(tempRoot, 'phone-tmp'),
      fixtures: path.join(tempRoot, 'fixtures'),
      project: path.join(tempRoot, 'project'),
    };
    for (const dir of [dirs.data, dirs.phone, dirs.phoneTemp]) fs.mkdirSync(dir);
    const { origin, projectPath, backendLog, buildMs } = options.reuse
      ? { ...options.reuse, origin: options.reuse.apiBase, buildMs: 0 }
      : await startOwnBackendAndApp(dirs, path.join(tempRoot, 'backend.log'), stops);
    prepareFixtures(dirs.fixtures);
    const phone = await spawnRenderPhone(
      {
        projectPath,
        dataDir: dirs.phone,
        tempDir: dirs.phoneTemp,
        fixturesDir: dirs.fixtures,
        port: await freePort(),
        userKey: options.userKey,
        theme: 'light',
      },
      path.join(tempRoot, 'phone.log'),
    );
    stops.push(phone.stop);

    const state: E2eState = {
      mode: 'headless',
      wsEndpoint: phone.wsEndpoint,
      apiBase: origin,
      controlUrl: phone.controlUrl,
      projectPath,
      phoneDataDir: dirs.phone,
      fixturesDir: dirs.fixtures,
      largeFixture: path.join(dirs.fixtures, LARGE_FIXTURE),
      backendLog,
      artifactsDir: path.join(REPO_ROOT, 'test-artifacts', 'screenshots'),
      tempRoot,
      startedAt,
    };
    const app = new AppConnection();
    await app.open(phone.wsEndpoint);
    stops.push(async () => app.close());
    if (options.verbose) {
      console.log(`gallery session ready in ${Date.now() - startedAt} ms (build ${buildMs} ms)`);
    }
    let restarts = 0;
    return {
      get mp() {
        return app.mp;
      },
      get restarts() {
        return restarts;
      },
      app,
      device: new Device(state, () => app.mp),
      backend: new Backend(origin),
      state,
      userKey: options.userKey,
      async restartWithTheme(theme) {
        app.close();
        const reply = await httpRequest(`${phone.controlUrl}/control`, {
          method: 'POST',
          body: { method: 'restartWithTheme', args: [theme] },
        });
        const parsed = JSON.parse(reply.body) as { result?: string; error?: string };
        if (reply.status !== 200 || !parsed.result) {
          throw new Error(`restarting the app in ${theme} theme failed: ${parsed.error}`);
        }
        state.wsEndpoint = parsed.result;
        restarts++;
        return app.open(parsed.result);
      },
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A fresh backend (temp data dir) and the app built against it, side by side. */
async function startOwnBackendAndApp(
  dirs: { data: string; project: string },
  backendLog: string,
  stops: Stop[],
): Promise<{ origin: string; projectPath: string; backendLog: string; buildMs: number }> {
  const port = await freePort();
  const starting = startBackend(port, dirs.data, backendLog);
  starting.then(
    (backend) => stops.push(backend.stop),
    () => undefined,
  );
  const [backendResult, builtResult] = await Promise.allSettled([
    starting,
    buildApp(dirs.project, `http://127.0.0.1:${port}`),
  ]);
  if (backendResult.status === 'rejected') throw backendResult.reason;
  if (builtResult.status === 'rejected') throw builtResult.reason;
  return {
    origin: backendResult.value.origin,
    projectPath: builtResult.value.projectPath,
    backendLog,
    buildMs: builtResult.value.buildMs,
  };
}

interface RenderPhone {
  wsEndpoint: string;
  controlUrl: string;
  stop: Stop;
}

/** Spawns render-phone-process.ts and waits for its ready line (the harness launcher's way). */
function spawnRenderPhone(
  options: RenderPhoneOptions,
  logFile: string,
  timeoutMs = 30_000,
): Promise<RenderPhone> {
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(REPO_ROOT, 'scripts', 'register-ts.js'),
      path.join(__dirname, 'render-phone-process.ts'),
      JSON.stringify(options),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      void stopChild(child, 1000);
      reject(new Error(`the rendering phone did not start within ${timeoutMs} ms; see ${logFile}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the rendering phone exited with ${code} while starting; see ${logFile}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((text) => text.startsWith(RENDER_PHONE_READY));
      if (!line) return;
      clearTimeout(timer);
      child.stdout.pipe(log);
      const ready = JSON.parse(line.slice(RENDER_PHONE_READY.length)) as {
        wsEndpoint: string;
        controlUrl: string;
      };
      resolve({ ...ready, stop: () => stopChild(child, 5000) });
    });
  });
}
