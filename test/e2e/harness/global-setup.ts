/**
 * jest globalSetup of the e2e project: backend (fresh data dir, /__dev on) → app build against
 * its origin → phone (headless simulator, or DevTools when WECHAT_DEVTOOLS_CLI is set) → control
 * bridge → state file for the specs. Everything started is registered for global-teardown.ts, and
 * a failure half-way stops what already runs.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { freePort, startBackend } from './backend-process';
import { buildApp, REPO_ROOT } from './build-app';
import { LARGE_FIXTURE, prepareFixtures } from './fixtures';
import { launchDevtools } from './phone';
import { startPhoneProcess } from './phone-launcher';
import { defaultStateFile, STATE_ENV, writeState } from './state';
import type { E2eState } from './state';
import { registerStopper, stopAll } from './stoppers';

export default async function globalSetup(): Promise<void> {
  const startedAt = Date.now();
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-e2e-'));
  registerStopper('temp dir', async () => fs.rmSync(tempRoot, { recursive: true, force: true }));
  try {
    const dirs = {
      data: path.join(tempRoot, 'backend-data'),
      phone: path.join(tempRoot, 'phone-data'),
      phoneTemp: path.join(tempRoot, 'phone-tmp'),
      fixtures: path.join(tempRoot, 'fixtures'),
      project: path.join(tempRoot, 'project'),
    };
    for (const dir of [dirs.data, dirs.phone, dirs.phoneTemp]) fs.mkdirSync(dir);
    const backendLog = path.join(tempRoot, 'backend.log');

    // The port is picked first so the backend starts while the app builds against it.
    const port = await freePort();
    const starting = startBackend(port, dirs.data, backendLog);
    starting.then(
      (backend) => registerStopper('backend', backend.stop),
      () => undefined,
    );
    const [backendResult, builtResult] = await Promise.allSettled([
      starting,
      buildApp(dirs.project, `http://127.0.0.1:${port}`),
    ]);
    if (backendResult.status === 'rejected') throw backendResult.reason;
    if (builtResult.status === 'rejected') throw builtResult.reason;
    const [backend, built] = [backendResult.value, builtResult.value];
    prepareFixtures(dirs.fixtures);

    const phoneOptions = {
      projectPath: built.projectPath,
      distPath: built.distPath,
      dataDir: dirs.phone,
      tempDir: dirs.phoneTemp,
      fixturesDir: dirs.fixtures,
    };
    const cli = process.env.WECHAT_DEVTOOLS_CLI;
    const phone = cli
      ? await launchDevtools(cli, phoneOptions)
      : {
          mode: 'headless' as const,
          ...(await startPhoneProcess(phoneOptions, path.join(tempRoot, 'phone.log'))),
        };
    registerStopper('phone', phone.stop);

    const stateFile = defaultStateFile();
    const state: E2eState = {
      mode: phone.mode,
      wsEndpoint: phone.wsEndpoint,
      apiBase: backend.origin,
      projectPath: built.projectPath,
      phoneDataDir: dirs.phone,
      fixturesDir: dirs.fixtures,
      largeFixture: path.join(dirs.fixtures, LARGE_FIXTURE),
      backendLog,
      artifactsDir: path.join(REPO_ROOT, 'test-artifacts', 'e2e'),
      tempRoot,
      startedAt,
    };
    if ('controlUrl' in phone) state.controlUrl = phone.controlUrl;
    writeState(stateFile, state);
    registerStopper('state file', async () => fs.rmSync(stateFile, { force: true }));
    process.env[STATE_ENV] = stateFile;
    if (process.env.MP_E2E_VERBOSE) {
      console.log(
        `\ne2e harness ready in ${Date.now() - startedAt} ms (build ${built.buildMs} ms): ` +
          `${phone.mode} phone ${phone.wsEndpoint}, backend ${backend.origin}`,
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
}
