import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseSelector } from '../src/dom/selector';
import { parsePageUrl } from '../src/runtime/url';
import { parseArgs } from '../src/cli';
import { loadProject } from '../src/project/project';
import { Sandbox } from '../src/sandbox/sandbox';
import { ModuleLoader } from '../src/runtime/module-loader';
import { EventChannel } from '../src/runtime/event-channel';
import { AppTimers } from '../src/runtime/app-timers';
import { startSimulator } from '../src/index';
import { templateClosure } from '../src/compile/template-closure';
import { compilerBinary, ensureExecutable } from '../src/compile/binaries';
import { MiniProgramRuntime } from '../src/runtime/mini-program';
import automator from 'miniprogram-automator';
import { BASIC, raw } from './helpers';

describe('selector parser', () => {
  it('parses tags, ids, classes, attributes and combinators', () => {
    const [steps] = parseSelector('view.a.b > t-button#x[data-id="7"] [disabled]');
    expect(steps.map((step) => step.combinator)).toEqual([null, '>', ' ']);
    expect(steps[0].compound).toEqual({ tag: 'view', classes: ['a', 'b'], attributes: [] });
    expect(steps[1].compound).toMatchObject({
      tag: 't-button',
      id: 'x',
      attributes: [{ name: 'data-id', operator: '=', value: '7' }],
    });
    expect(steps[2].compound.attributes).toEqual([
      { name: 'disabled', operator: undefined, value: undefined },
    ]);
    expect(parseSelector('.a, .b')).toHaveLength(2);
    expect(parseSelector('.item:nth-child(2):last-child')[0][0].compound.positions).toEqual([
      { kind: 'nth', n: 2 },
      { kind: 'last' },
    ]);
  });

  it('rejects what it does not support with the selector in the message', () => {
    expect(() => parseSelector('')).toThrow('non-empty');
    expect(() => parseSelector('view:hover')).toThrow('unsupported selector "view:hover"');
    expect(() => parseSelector('view:nth-child(0)')).toThrow('nth-child counts from 1');
    expect(() => parseSelector('> view')).toThrow('starts with ">"');
  });
});

describe('page urls', () => {
  it('resolves absolute and relative urls and keeps raw query values', () => {
    expect(parsePageUrl('/pages/a/a?x=1&y=%20', 'pages/b/b')).toEqual({
      route: 'pages/a/a',
      query: { x: '1', y: '%20' },
    });
    expect(parsePageUrl('../c/c', 'pages/b/b').route).toBe('pages/c/c');
    expect(parsePageUrl('d?flag', 'pages/b/b')).toEqual({
      route: 'pages/b/d',
      query: { flag: '' },
    });
    expect(() => parsePageUrl(undefined, null)).toThrow('parameter.url should be String');
  });
});

describe('CLI arguments', () => {
  it('takes DevTools argument shapes and ignores its other flags', () => {
    expect(
      parseArgs([
        'auto',
        '--project',
        '/p',
        '--auto-port',
        '9421',
        '--trust-project',
        '--ticket',
        't',
        '--auto-account',
        'a',
      ]),
    ).toEqual({ command: 'auto', project: '/p', port: 9421, echoConsole: false });
    expect(parseArgs(['auto', '--project=/q', '--verbose']).echoConsole).toBe(true);
    expect(parseArgs(['auto', '--project=/q', '--render']).render).toBe(true);
  });

  it('explains wrong input', () => {
    expect(() => parseArgs(['open', '--project', '/p'])).toThrow('unsupported command "open"');
    expect(() => parseArgs(['auto'])).toThrow('--project is required');
    expect(() => parseArgs(['auto', '--project', '/p', '--auto-port', 'x'])).toThrow(
      'invalid port "x"',
    );
    expect(() => parseArgs(['auto', '--project'])).toThrow('--project needs a value');
  });
});

describe('project loading', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-project-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads miniprogramRoot and lists main and subpackage routes', () => {
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(
      path.join(dir, 'project.config.json'),
      JSON.stringify({ miniprogramRoot: 'dist/' }),
    );
    fs.writeFileSync(
      path.join(dir, 'dist', 'app.json'),
      JSON.stringify({
        pages: ['pages/a/a'],
        subPackages: [{ root: 'pkg/', pages: ['b/b'] }],
        tabBar: { list: [{ pagePath: '/pages/a/a' }] },
      }),
    );
    const project = loadProject(dir);
    expect(project.root).toBe(path.join(dir, 'dist'));
    expect(project.routes).toEqual(['pages/a/a', 'pkg/b/b']);
    expect(project.tabBarRoutes).toEqual(['pages/a/a']);
    expect(project.entryRoute).toBe('pages/a/a');
  });

  it('fails clearly without app.json, with broken JSON, or without pages', () => {
    expect(() => loadProject(path.join(dir, 'missing'))).toThrow('is not a directory');
    expect(() => loadProject(dir)).toThrow('no app.json');
    fs.writeFileSync(path.join(dir, 'app.json'), '{ nope');
    expect(() => loadProject(dir)).toThrow(`invalid JSON in ${path.join(dir, 'app.json')}`);
    fs.writeFileSync(path.join(dir, 'app.json'), '{ "pages": [] }');
    expect(() => loadProject(dir)).toThrow('"pages" must be a non-empty array');
  });

  it('startSimulator rejects bad options before doing anything', async () => {
    await expect(startSimulator({ projectPath: '' })).rejects.toThrow('projectPath is required');
    await expect(startSimulator({ projectPath: BASIC, port: 70000 })).rejects.toThrow(
      'port must be an integer',
    );
  });
});

describe('compiler binaries', () => {
  it('makes a binary installed without the execute bit executable (npm drops it)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-bin-'));
    try {
      const binary = path.join(dir, 'wcc');
      fs.writeFileSync(binary, '#!/bin/sh\n', { mode: 0o644 });
      expect(ensureExecutable(binary, 'wcc')).toBe(binary);
      expect(fs.statSync(binary).mode & 0o777).toBe(0o755);
      expect(() => ensureExecutable(path.join(dir, 'missing'), 'wcsc')).toThrow('ENOENT');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the official wcc is executable once asked for', () => {
    expect(fs.statSync(compilerBinary('wcc')).mode & 0o111).toBe(0o111);
  });
});

describe('module loader', () => {
  it('resolves like WeChat and converts ES modules', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-modules-'));
    try {
      fs.mkdirSync(path.join(root, 'miniprogram_npm', 'lib'), { recursive: true });
      fs.mkdirSync(path.join(root, 'pages'));
      fs.writeFileSync(
        path.join(root, 'miniprogram_npm', 'lib', 'index.js'),
        'export const answer = 42;',
      );
      fs.writeFileSync(path.join(root, 'util.js'), 'module.exports = { twice: (n) => n * 2 };');
      fs.writeFileSync(
        path.join(root, 'pages', 'main.js'),
        "const lib = require('lib'); const util = require('/util'); const again = require('../util.js');\n" +
          'module.exports = { value: util.twice(lib.answer), same: util === again };',
      );
      const loader = new ModuleLoader(new Sandbox('test'), root);
      expect(loader.load(path.join(root, 'pages', 'main.js'))).toEqual({ value: 84, same: true });
      expect(() => loader.resolve('../../outside', path.join(root, 'pages', 'main.js'))).toThrow(
        'module "../../outside" is not defined',
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('sandbox membrane', () => {
  const sandbox = new Sandbox('membrane-test');
  /** Runs `code` in the app realm with `host` as a variable. */
  const inApp = (code: string, host: unknown): unknown =>
    (sandbox.evaluate(`(function (host) { ${code} })`) as (h: unknown) => unknown)(
      sandbox.adopt(host),
    );
  const reachesNode = 'return host.constructor.constructor("return typeof process")()';

  it('turns host errors, buffers and promises into app-realm ones', async () => {
    const error = Object.assign(new TypeError('bad'), { errno: 7 });
    expect(inApp('return [host instanceof TypeError, host.message, host.errno]', error)).toEqual([
      true,
      'bad',
      7,
    ]);
    expect(inApp(reachesNode, error)).toBe('undefined');
    expect(
      inApp('return [host instanceof Uint8Array, Array.from(host)]', Buffer.from([1, 2])),
    ).toEqual([true, [1, 2]]);
    const settled = inApp(
      'return host.then(function (v) { return [v.constructor.constructor("return typeof process")(), v.n]; })',
      Promise.resolve({ n: 1 }),
    );
    expect(await settled).toEqual(['undefined', 1]);
  });

  it('shows host objects through proxies whose methods run on the real object', () => {
    class Task {
      private state = 'open';
      abort(): string {
        this.state = 'aborted';
        return this.state;
      }
      get status(): string {
        return this.state;
      }
    }
    const task = new Task();
    expect(inApp('return [host.abort(), host.status, host.abort === host.abort]', task)).toEqual([
      'aborted',
      'aborted',
      true,
    ]);
    expect(inApp(reachesNode, task)).toBe('undefined');
    expect(
      inApp('return host.abort.constructor.constructor("return typeof process")()', task),
    ).toBe('undefined');
  });

  it('calls app callbacks with app-realm values, the same host function each time', () => {
    const listeners = new Set<unknown>();
    const api = {
      on: (fn: (value: unknown) => void) => {
        listeners.add(fn);
        fn({ nested: [{ deep: true }] });
      },
      off: (fn: unknown) => listeners.delete(fn),
    };
    const result = inApp(
      `var seen;
       function listener(value) { seen = value.nested[0].constructor.constructor('return typeof process')(); }
       host.on(listener);
       return [seen, host.off(listener)];`,
      api,
    );
    expect(result).toEqual(['undefined', true]);
    expect(listeners.size).toBe(0);
  });
});

describe('app timers', () => {
  it('after dispose nothing runs and new timers are never started (the process can exit)', () => {
    jest.useFakeTimers();
    try {
      const timers = new AppTimers((error) => {
        throw error;
      });
      const ran: string[] = [];
      timers.setTimeout(() => ran.push('before close'), 10);
      timers.setInterval(() => ran.push('interval'), 10);
      expect(jest.getTimerCount()).toBe(2);
      timers.dispose();
      expect(jest.getTimerCount()).toBe(0);
      // App code still running after close (a retry loop) schedules more.
      const id = timers.setTimeout(() => ran.push('after close'), 10);
      expect(typeof id).toBe('number');
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(100);
      expect(ran).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('EventChannel', () => {
  it('delivers to on and once listeners, and off removes them', () => {
    const channel = new EventChannel({ ready: () => seen.push('events') });
    const seen: string[] = [];
    const listener = (value: unknown) => seen.push(`on:${String(value)}`);
    channel.on('x', listener);
    channel.once('x', (value) => seen.push(`once:${String(value)}`));
    channel.emit('x', 1);
    channel.emit('x', 2);
    channel.off('x', listener);
    channel.emit('x', 3);
    channel.emit('ready');
    expect(seen).toEqual(['on:1', 'once:1', 'on:2', 'events']);
    expect(() => channel.on('y', 'nope' as unknown as () => void)).toThrow('EventChannel');
  });
});

describe('getApp({ allowDefault })', () => {
  it('returns a placeholder before App() that App() then merges into', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-app-'));
    try {
      fs.mkdirSync(path.join(root, 'pages'));
      fs.writeFileSync(path.join(root, 'app.json'), JSON.stringify({ pages: ['pages/p'] }));
      fs.writeFileSync(
        path.join(root, 'app.js'),
        'const early = getApp({ allowDefault: true }); early.fromEarly = 1;\n' +
          'App({ onLaunch() { this.launched = getApp() === early; } });',
      );
      fs.writeFileSync(path.join(root, 'pages', 'p.js'), 'Page({ data: {} });');
      fs.writeFileSync(path.join(root, 'pages', 'p.wxml'), '<view>p</view>');
      const runtime = new MiniProgramRuntime({
        projectPath: root,
        dataDir: path.join(root, '.data'),
      });
      try {
        expect(runtime.appInstance()).toMatchObject({ fromEarly: 1, launched: true });
      } finally {
        runtime.close();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('template closure', () => {
  it('lists the templates pages reach through components, imports, includes and wxs', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-closure-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    try {
      write(
        'pages/a/a.wxml',
        '<import src="../../tpl/item.wxml"/><wxs src="./fmt.wxs" module="f"/><c-x/>',
      );
      write('pages/a/a.json', JSON.stringify({ usingComponents: { 'c-x': '/comps/x/x' } }));
      write('pages/a/fmt.wxs', "var u = require('../../tpl/util.wxs'); module.exports = u;");
      write('tpl/item.wxml', '<template name="item"><include src="part"/></template>');
      write('tpl/part.wxml', '<view/>');
      write('tpl/util.wxs', 'module.exports = {};');
      write('comps/x/x.wxml', '<view/>');
      write('comps/x/x.json', '{"component":true}');
      write('comps/g/g.wxml', '<view/>');
      write('comps/g/g.json', '{"component":true}');
      write('comps/unused/unused.wxml', '<view/>');
      write('comps/unused/unused.json', '{"component":true}');
      expect(templateClosure(root, ['pages/a/a'], { 'c-g': '/comps/g/g' })).toEqual([
        'comps/g/g.wxml',
        'comps/x/x.wxml',
        'pages/a/a.wxml',
        'pages/a/fmt.wxs',
        'tpl/item.wxml',
        'tpl/part.wxml',
        'tpl/util.wxs',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('startSimulator server options', () => {
  it('keeps running after Tool.close when asked to, and reports a busy port clearly', async () => {
    const simulator = await startSimulator({ projectPath: BASIC, keepAliveOnToolClose: true });
    try {
      const mp = await automator.connect({ wsEndpoint: simulator.wsEndpoint });
      await raw(mp, 'Tool.close');
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await raw(mp, 'App.getCurrentPage')).toMatchObject({ path: 'pages/index/index' });
      mp.disconnect();
      await expect(startSimulator({ projectPath: BASIC, port: simulator.port })).rejects.toThrow(
        `cannot listen on 127.0.0.1:${simulator.port}`,
      );
    } finally {
      await simulator.close();
    }
  });
});
