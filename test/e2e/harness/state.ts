/**
 * What global setup hands to the specs. Jest runs globalSetup in another context than the spec
 * files (often another process), so the hand-over is a JSON file whose path travels in an
 * environment variable that the workers inherit.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

export interface E2eState {
  /** `headless` = our simulator (controls available); `devtools` = real WeChat DevTools. */
  mode: 'headless' | 'devtools';
  /** Where the automator connects. Changes when the harness restarts the app. */
  wsEndpoint: string;
  /** The backend origin the app was built against, e.g. http://127.0.0.1:43123 */
  apiBase: string;
  /** Loopback control bridge of the harness (device controls, app restart); headless only. */
  controlUrl?: string;
  /** Project root handed to the simulator / DevTools (holds project.config.json and dist/). */
  projectPath: string;
  /** The simulated phone's persistent data (storage, album): survives app restarts. */
  phoneDataDir: string;
  /** Fixture files chooseMedia can return (names relative to this folder). */
  fixturesDir: string;
  /** The large file for the resumable upload scenario (inside fixturesDir). */
  largeFixture: string;
  /** Backend log file (JSON lines) whose tail failing specs copy into their artifacts. */
  backendLog: string;
  /** Where failing specs leave their artifacts. */
  artifactsDir: string;
  /** Root of all temp dirs of this run (removed by teardown). */
  tempRoot: string;
  startedAt: number;
}

export const STATE_ENV = 'MP_E2E_STATE_FILE';

export function defaultStateFile(): string {
  return path.join(os.tmpdir(), `mp-e2e-state-${process.pid}.json`);
}

export function writeState(file: string, state: E2eState): void {
  fs.writeFileSync(file, JSON.stringify(state, null, 2));
}

export function readState(): E2eState {
  const file = process.env[STATE_ENV];
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      `e2e state file not found (${STATE_ENV}=${file ?? 'unset'}): run specs through ` +
        '`npx jest --selectProjects e2e` so test/e2e/harness/global-setup.ts runs first',
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as E2eState;
}
