/**
 * The phone of a screenshot run: the headless simulator with rendering on (headless Chromium), run
 * in a process of its own by render-phone-process.ts.
 *
 * WHY not the harness's phone.ts: the gallery needs rendering on, a user of its own and a theme
 * chosen at start. The simulator's renderer reads the theme once when it starts (simulator.ts
 * captures getAppBaseInfo() at attach time), so dark mode is a restart with `wx.theme = 'dark'`:
 * the control `restartWithTheme` does that on the same port and phone data.
 */
import { createRequire } from 'module';
import path from 'path';
import { REPO_ROOT } from '../harness/build-app';
import type { Phone } from '../harness/phone';

export const RENDER_PHONE_READY = 'RENDER-PHONE-READY ';

export type Theme = 'light' | 'dark';

export interface RenderPhoneOptions {
  projectPath: string;
  dataDir: string;
  tempDir: string;
  fixturesDir: string;
  port: number;
  userKey: string;
  theme: Theme;
}

interface SimulatorHandle {
  wsEndpoint: string;
  controls?: Record<string, unknown> | null;
  close(): Promise<void>;
}

interface SimulatorModule {
  startSimulator(options: Record<string, unknown>): Promise<SimulatorHandle>;
}

type ControlFn = (...args: unknown[]) => unknown;

export async function startRenderPhone(options: RenderPhoneOptions): Promise<Phone> {
  const load = createRequire(__filename);
  load(path.join(REPO_ROOT, 'scripts', 'register-ts.js'));
  const simulator = load(path.join(REPO_ROOT, 'simulator')) as SimulatorModule;
  let theme = options.theme;
  const start = () =>
    simulator.startSimulator({
      projectPath: options.projectPath,
      port: options.port,
      dataDir: options.dataDir,
      tempDir: options.tempDir,
      fixturesDir: options.fixturesDir,
      render: true,
      wx: { userKey: options.userKey, theme },
    });
  let handle = await start();
  const restart = async (): Promise<string> => {
    await handle.close();
    handle = await start();
    phone.wsEndpoint = handle.wsEndpoint;
    return handle.wsEndpoint;
  };
  const phone: Phone = {
    mode: 'headless',
    wsEndpoint: handle.wsEndpoint,
    async control(method, args) {
      if (method === 'restartWithTheme') {
        if (args[0] !== 'light' && args[0] !== 'dark') throw new Error('theme: light or dark');
        theme = args[0];
        return await restart();
      }
      const owner = (handle.controls ?? {}) as Record<string, unknown>;
      const fn = owner[method];
      if (typeof fn !== 'function') throw new Error(`the simulator has no control "${method}"`);
      return await (fn as ControlFn).apply(owner, args);
    },
    restart,
    stop: () => handle.close(),
  };
  return phone;
}
