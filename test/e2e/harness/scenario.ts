/**
 * The spec-side entry point. In a spec file:
 *
 *   const e2e = useE2e();                       // connect once per file, serialised across files
 *   scenario('cold start shows products', async () => { const { mp } = e2e; ... });
 *
 * `scenario` runs the body under its own deadline (shorter than jest's) so a hanging step still
 * leaves artifacts behind, and a CapabilityMissing (real DevTools without a simulator control)
 * ends the scenario with a printed reason.
 */
import type MiniProgram from 'miniprogram-automator/out/MiniProgram';
import { captureArtifacts } from './artifacts';
import { Backend } from './backend';
import { AppConnection } from './connection';
import { CapabilityMissing, Device } from './device';
import { acquireLock } from './lock';
import { readState } from './state';
import type { E2eState } from './state';

export interface E2eContext {
  readonly state: E2eState;
  readonly mp: MiniProgram;
  readonly app: AppConnection;
  readonly device: Device;
  readonly backend: Backend;
  /** Cold-starts the app on the same phone data and reconnects (headless only). */
  restartApp(): Promise<MiniProgram>;
}

const DEFAULT_SCENARIO_MS = 20_000;
let active: E2eContext | undefined;

export function useE2e(): E2eContext {
  const app = new AppConnection();
  let state: E2eState | undefined;
  let device: Device | undefined;
  let backend: Backend | undefined;
  let release: (() => void) | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available inside a scenario`);
    return value;
  };

  const context: E2eContext = {
    get state() {
      return need(state, 'state');
    },
    get mp() {
      return app.mp;
    },
    app,
    get device() {
      return need(device, 'device');
    },
    get backend() {
      return need(backend, 'backend');
    },
    async restartApp() {
      app.close();
      const wsEndpoint = await context.device.restartApp();
      return app.open(wsEndpoint);
    },
  };

  beforeAll(async () => {
    state = readState();
    release = await acquireLock(state.tempRoot);
    device = new Device(state, () => app.mp);
    backend = new Backend(state.apiBase);
    await app.open(state.wsEndpoint);
    // A spec that failed half-way must not leave its faults or a dead network to the next one.
    await backend.clearFaults();
    if (device.headless) {
      await device.setOnline();
      await device.setModalDefault('pending');
    }
    active = context;
  }, 330_000);

  afterAll(async () => {
    active = undefined;
    app.close();
    release?.();
  });

  return context;
}

export function scenario(
  name: string,
  body: () => Promise<void>,
  timeoutMs: number = DEFAULT_SCENARIO_MS,
): void {
  test(
    name,
    async () => {
      const context = active;
      if (!context) throw new Error('scenario() needs useE2e() at the top of the spec file');
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          body(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`scenario "${name}" did not finish within ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
      } catch (error) {
        if (error instanceof CapabilityMissing) {
          console.warn(`${name}: ${error.message}`);
          return;
        }
        const dir = await captureArtifacts(expect.getState().currentTestName ?? name, error, {
          mp: safeMp(context),
          console: context.app.console,
          backendLog: context.state.backendLog,
          artifactsDir: context.state.artifactsDir,
        });
        if (error instanceof Error) error.message += `\n(artifacts: ${dir})`;
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    timeoutMs + 10_000,
  );
}

function safeMp(context: E2eContext): MiniProgram | undefined {
  try {
    return context.mp;
  } catch {
    return undefined;
  }
}
