/**
 * The "phone" of an e2e run: the headless simulator started in-process, or real WeChat DevTools
 * launched through its CLI when WECHAT_DEVTOOLS_CLI is set (macOS/Windows).
 *
 * Only global setup/teardown use this module; specs reach the phone through the automator
 * (wsEndpoint) and the control bridge (control-bridge.ts).
 */
import { createRequire } from 'module';
import path from 'path';
import automator from 'miniprogram-automator';
import { REPO_ROOT } from './build-app';
import { freePort } from './backend-process';

/** What the simulator's `startSimulator()` resolves to (only the parts the harness uses). */
interface SimulatorHandle {
  wsEndpoint: string;
  close(): Promise<void>;
  controls?: Record<string, unknown>;
  [name: string]: unknown;
}

interface SimulatorModule {
  startSimulator(options: Record<string, unknown>): Promise<SimulatorHandle>;
}

export interface PhoneOptions {
  projectPath: string;
  distPath: string;
  /** Persistent phone state (storage, album, user files): kept across restarts. */
  dataDir: string;
  tempDir: string;
  fixturesDir: string;
}

export interface Phone {
  mode: 'headless' | 'devtools';
  wsEndpoint: string;
  /** Calls a simulator control (SimulatorControls method or a runtime control on the handle). */
  control(method: string, args: unknown[]): Promise<unknown>;
  /** Kills the app and starts it again on the same phone data (a cold start). */
  restart(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the simulator in this process (phone-process.ts does, in a process of its own). */
export async function startHeadless(options: PhoneOptions): Promise<Phone> {
  // The simulator is TypeScript loaded through its own require hook (simulator/load.js); jest's
  // transform hook is gone once global setup's module has loaded.
  const load = createRequire(__filename);
  load(path.join(REPO_ROOT, 'scripts', 'register-ts.js'));
  const simulator = load(path.join(REPO_ROOT, 'simulator')) as SimulatorModule;
  const port = await freePort();
  const start = () =>
    simulator.startSimulator({
      projectPath: options.projectPath,
      port,
      dataDir: options.dataDir,
      tempDir: options.tempDir,
      fixturesDir: options.fixturesDir,
    });
  let handle = await start();
  const phone: Phone = {
    mode: 'headless',
    wsEndpoint: handle.wsEndpoint,
    async control(method, args) {
      const target = pickControl(handle, method);
      if (!target) throw new Error(`the simulator has no control "${method}"`);
      return await target.fn.apply(target.owner, args);
    },
    async restart() {
      await handle.close();
      handle = await start();
      phone.wsEndpoint = handle.wsEndpoint;
      return handle.wsEndpoint;
    },
    stop: () => handle.close(),
  };
  return phone;
}

type ControlFn = (...args: unknown[]) => unknown;

function pickControl(
  handle: SimulatorHandle,
  method: string,
): { owner: object; fn: ControlFn } | undefined {
  const owners: object[] = [handle.controls ?? {}, handle];
  for (const owner of owners) {
    const fn = (owner as Record<string, unknown>)[method];
    if (typeof fn === 'function') return { owner, fn: fn as ControlFn };
  }
  return undefined;
}

/** Real DevTools through its CLI (macOS/Windows), as `automator.launch()` does. */
export async function launchDevtools(cliPath: string, options: PhoneOptions): Promise<Phone> {
  const port = await freePort();
  const launch = async () => {
    const mp = await automator.launch({ cliPath, projectPath: options.projectPath, port });
    mp.disconnect();
    return `ws://127.0.0.1:${port}`;
  };
  const wsEndpoint = await launch();
  const close = async () => {
    const mp = await automator.connect({ wsEndpoint });
    await mp.close();
  };
  return {
    mode: 'devtools',
    wsEndpoint,
    async control(method) {
      throw new Error(`simulator control "${method}" does not exist under real DevTools`);
    },
    async restart() {
      await close();
      return await launch();
    },
    stop: close,
  };
}
