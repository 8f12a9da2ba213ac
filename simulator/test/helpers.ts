import fs from 'fs';
import os from 'os';
import path from 'path';
import automator from 'miniprogram-automator';
import { startSimulator, type Simulator, type SimulatorOptions } from '../src/index';
import { createRequire } from 'module';

// Node's typed resolver (WeChat's typings redeclare the global `require`).
const nodeRequire = createRequire(__filename);

export const FIXTURES = path.join(__dirname, 'fixtures');
export const BASIC = path.join(FIXTURES, 'basic');

export type MiniProgram = Awaited<ReturnType<typeof automator.connect>>;

export interface Session {
  simulator: Simulator;
  mp: MiniProgram;
  dataDir: string;
  close(): Promise<void>;
}

/** One simulator per test file, driven by the real automator client through connect(). */
export async function openSession(
  projectPath: string,
  options: Partial<SimulatorOptions> = {},
): Promise<Session> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-test-data-'));
  // Rendering off unless a test asks: the suite must not depend on MP_SIM_RENDER.
  const simulator = await startSimulator({ projectPath, dataDir, render: false, ...options });
  let mp: MiniProgram;
  try {
    mp = await automator.connect({ wsEndpoint: simulator.wsEndpoint });
  } catch (error) {
    // A simulator left running would keep jest from exiting after the failed suite.
    await simulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    simulator,
    mp,
    dataDir,
    async close() {
      mp.disconnect();
      await simulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a truthy value (events arrive asynchronously). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A copy of a fixture with tdesign-miniprogram's miniprogram_dist linked in as miniprogram_npm. */
export function assembleTdesignFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-tdesign-'));
  fs.cpSync(path.join(FIXTURES, 'tdesign'), dir, { recursive: true });
  const dist = path.join(
    path.dirname(nodeRequire.resolve('tdesign-miniprogram/package.json')),
    'miniprogram_dist',
  );
  fs.mkdirSync(path.join(dir, 'miniprogram_npm'), { recursive: true });
  fs.symlinkSync(dist, path.join(dir, 'miniprogram_npm', 'tdesign-miniprogram'), 'dir');
  return dir;
}

/** What functions sent with App.callFunction find in the sandbox (typed for the tests). */
export interface SandboxGlobals {
  getApp(): { globalData: Record<string, unknown> };
  getCurrentPages(): Array<{ route: string; data: Record<string, unknown> }>;
  wx: Record<string, (...args: unknown[]) => unknown>;
  [name: string]: unknown;
}

/** The journal of lifecycle calls the basic fixture keeps in getApp().globalData.events. */
export async function journal(mp: MiniProgram): Promise<string[]> {
  return (await mp.evaluate(() => {
    const g = globalThis as unknown as SandboxGlobals;
    return g.getApp().globalData.events;
  })) as string[];
}

export async function clearJournal(mp: MiniProgram): Promise<void> {
  await mp.evaluate(() => {
    const g = globalThis as unknown as SandboxGlobals;
    g.getApp().globalData.events = [];
  });
}

/** Sends a raw protocol request (for methods the client only exposes partially). */
export function raw(
  mp: MiniProgram,
  method: string,
  params: Record<string, unknown> = {},
): Promise<unknown> {
  return (mp as unknown as { send(m: string, p: Record<string, unknown>): Promise<unknown> }).send(
    method,
    params,
  );
}

/** The current page (the client types it as possibly undefined). */
export async function currentPage(
  mp: MiniProgram,
): Promise<NonNullable<Awaited<ReturnType<MiniProgram['currentPage']>>>> {
  const page = await mp.currentPage();
  if (!page) throw new Error('no current page');
  return page;
}
