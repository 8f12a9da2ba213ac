import type { AddressInfo } from 'net';
import { WebSocketServer } from 'ws';
import {
  BASIC,
  currentPage,
  openSession,
  raw,
  waitFor,
  type SandboxGlobals,
  type Session,
} from './helpers';

let session: Session;
const exceptions: Array<{ message: string }> = [];

beforeAll(async () => {
  session = await openSession(BASIC, { launch: { path: 'pages/errors/errors' } });
  session.mp.on('exception', (entry: { message: string }) => exceptions.push(entry));
});
afterAll(async () => {
  await session.close();
});

describe('isolation', () => {
  it('app code cannot reach Node: no process, Buffer, global or Node require', async () => {
    const page = await currentPage(session.mp);
    const probes = (await page.callMethod('probeIsolation')) as Record<string, string>;
    expect(probes).toEqual({
      process: 'undefined',
      globalProcess: 'undefined',
      global: 'undefined',
      Buffer: 'undefined',
      functionProcess: 'undefined',
      wxConstructor: 'undefined',
      requireFs: 'module "fs" is not defined (required from pages/errors/errors.js)',
    });
    expect(
      await session.mp.evaluate(() => typeof (globalThis as Record<string, unknown>).require),
    ).toBe('undefined');
  });

  it("nothing the simulator hands over leads to Node's Function (results, callbacks, errors, tasks)", async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const page = await currentPage(session.mp);
      const probes = (await page.callMethod(
        'probeEscapes',
        (server.address() as AddressInfo).port,
      )) as Record<string, string>;
      expect(Object.keys(probes)).toHaveLength(26);
      const escaped = Object.entries(probes).filter(([, result]) => result !== 'undefined');
      expect(escaped).toEqual([]);
      // The same through the automator: evaluate() runs in the app realm too.
      expect(
        await session.mp.evaluate(() => {
          const g = globalThis as unknown as SandboxGlobals;
          const info = g.wx.getSystemInfoSync() as { constructor: FunctionConstructor };
          return info.constructor.constructor('return typeof process')() as string;
        }),
      ).toBe('undefined');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("tap and touch events, their detail and touches do not lead to Node's Function", async () => {
    const page = await currentPage(session.mp);
    const target = await page.$('#probe-tap');
    if (!target) throw new Error('#probe-tap not found');
    await target.tap();
    await target.longpress();
    const reaches = await waitFor(async () => {
      const value = (await page.data('eventReaches')) as Record<string, string[]> | undefined;
      return value?.tap && value.longpress ? value : null;
    });
    const all = Array(5).fill('undefined');
    expect(reaches).toEqual({ tap: all, longpress: all });
  });

  it('an API that is not emulated fails loudly, naming it', async () => {
    const page = await currentPage(session.mp);
    const message = (await page.callMethod('callUnknownApi')) as string;
    expect(message).toMatch(/thisApiDoesNotExist/);
    await expect(session.mp.callWxMethod('thisApiDoesNotExist', {})).rejects.toThrow(
      /thisApiDoesNotExist/,
    );
  });
});

describe('errors in app code', () => {
  it('a throwing event handler reaches App.onError and the exception event, the app keeps running', async () => {
    const page = await currentPage(session.mp);
    await (await page.$('#throw'))?.tap();
    await waitFor(() => exceptions.some((entry) => entry.message === 'handler exploded'));
    const errors = await session.mp.evaluate(
      () => (globalThis as unknown as SandboxGlobals).getApp().globalData.errors,
    );
    expect(errors).toEqual(['Error: handler exploded']);
    expect(await page.callMethod('callUnknownApi')).toMatch(/thisApiDoesNotExist/);
  });

  // Unhandled rejections are tested in launch.test.ts: jest fails any suite that has one.

  it('errors thrown in timers are reported to wx.onError listeners too, not fatal', async () => {
    await session.mp.evaluate(() => {
      const g = globalThis as unknown as SandboxGlobals;
      g.wx.onError((message: string) => {
        g.getApp().globalData.wxOnError = message.split('\n')[0];
      });
      setTimeout(() => {
        throw new Error('timer exploded');
      }, 0);
    });
    await waitFor(() => exceptions.some((entry) => entry.message === 'timer exploded'));
    expect(
      await session.mp.evaluate(
        () => (globalThis as unknown as SandboxGlobals).getApp().globalData.wxOnError,
      ),
    ).toBe('Error: timer exploded');
  });
});

describe('phone services through Simulator.* and Tool.native', () => {
  it('answers a modal on screen with Tool.native confirmModal', async () => {
    const { mp } = session;
    await mp.evaluate(() => {
      const g = globalThis as unknown as SandboxGlobals;
      g.wx.showModal({
        title: 'Sure?',
        content: 'Delete it',
        success(res: unknown) {
          g.getApp().globalData.modal = res;
        },
      });
    });
    const screen = (await waitFor(async () => {
      const value = (await raw(mp, 'Simulator.screen')) as { result: { modal: unknown } };
      return value.result.modal ? value.result : null;
    })) as { modal: { title: string } };
    expect(screen.modal.title).toBe('Sure?');
    await mp.native().confirmModal();
    const answer = await waitFor(() =>
      mp.evaluate(() => (globalThis as unknown as SandboxGlobals).getApp().globalData.modal),
    );
    expect(answer).toMatchObject({ confirm: true, cancel: false });
    await expect(mp.native().cancelModal()).rejects.toThrow('nothing on screen to answer');
  });

  it('forwards Simulator.<control> calls to the wx layer and rejects unknown controls', async () => {
    const { mp } = session;
    await raw(mp, 'Simulator.setNetwork', { args: [{ online: false }] });
    const state = (await raw(mp, 'Simulator.getNetwork')) as { result: { online: boolean } };
    expect(state.result.online).toBe(false);
    await raw(mp, 'Simulator.setNetwork', { args: [{ online: true }] });
    // The same controls are on the handle startSimulator returns.
    expect(session.simulator.getNetwork?.().online).toBe(true);
    await expect(raw(mp, 'Simulator.noSuchControl')).rejects.toThrow(
      'unknown method "Simulator.noSuchControl"',
    );
    const listed = (await raw(mp, 'Simulator.listControls')) as { controls: string[] };
    expect(listed.controls).toEqual(
      expect.arrayContaining(['setNetwork', 'screen', 'background', 'chrome']),
    );
    const chrome = (await raw(mp, 'Simulator.chrome')) as {
      result: { navigationBar: { title: string } };
    };
    expect(chrome.result.navigationBar.title).toBe('Fixture');
  });
});
