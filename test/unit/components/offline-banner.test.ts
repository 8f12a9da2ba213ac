/**
 * The offline banner rendered by miniprogram-simulate against fake connectivity and outbox
 * sources provided through the services container, the way app.ts provides the real ones.
 */
/// <reference types="node" />
import path from 'path';
import { createParent, installDom } from './dom-env';
import { loadSimulate } from './simulate-types';
import { provideServices } from '../../../miniprogram/services/container';
import type { AppServices, OutboxEvent, OutboxPort } from '../../../miniprogram/services/ports';
import type { ConnectivityState } from '../../../miniprogram/utils/contracts';
import { setLocale } from '../../../miniprogram/utils/i18n';
import type { AppConfig } from '../../../miniprogram/config';

const uninstallDom = installDom();
const simulate = loadSimulate();

const COMPONENT = path.join(__dirname, '../../../miniprogram/components/offline-banner/index');
// tdesign ships ES modules for the mini program runtime; a stub with the same props stands in.
const NOTICE_BAR_STUB = path.relative(
  path.dirname(COMPONENT),
  path.join(__dirname, 'stubs/notice-bar/index'),
);

function fakeSources() {
  let state: ConnectivityState = { online: true, networkType: 'wifi', weak: false };
  const stateListeners = new Set<(state: ConnectivityState) => void>();
  const outboxListeners = new Set<(event: OutboxEvent) => void>();
  let pending = 0;
  const connectivity = {
    get state() {
      return state;
    },
    subscribe(listener: (s: ConnectivityState) => void) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    waitForOnline: () => Promise.resolve(),
  };
  const outbox: OutboxPort = {
    get pending() {
      return pending;
    },
    submit: () => Promise.reject(new Error('not used')),
    subscribe(listener) {
      outboxListeners.add(listener);
      return () => outboxListeners.delete(listener);
    },
    clear: () => undefined,
  };
  return {
    connectivity,
    outbox,
    setOnline(online: boolean) {
      state = { ...state, online, networkType: online ? 'wifi' : 'none' };
      stateListeners.forEach((listener) => listener(state));
    },
    queue(count: number) {
      pending = count;
      outboxListeners.forEach((listener) => listener({ type: 'count', pending }));
    },
    flush(sent: number) {
      pending = 0;
      outboxListeners.forEach((listener) => listener({ type: 'flushed', sent }));
    },
    listenerCount: () => stateListeners.size + outboxListeners.size,
  };
}

let sources: ReturnType<typeof fakeSources>;
let componentId: string;

beforeAll(() => {
  componentId = simulate.load(COMPONENT, 'offline-banner', {
    compiler: 'simulate',
    usingComponents: { 't-notice-bar': NOTICE_BAR_STUB },
  });
});

afterAll(() => uninstallDom());

beforeEach(() => {
  jest.useFakeTimers();
  sources = fakeSources();
  provideServices({
    connectivity: sources.connectivity,
    outbox: sources.outbox,
  } as unknown as AppServices & { config: AppConfig });
});

afterEach(() => {
  jest.useRealTimers();
  setLocale('zh-CN');
});

function render() {
  const comp = simulate.render(componentId, {});
  comp.attach(createParent());
  return comp;
}

function banner(comp: ReturnType<typeof render>) {
  return comp.querySelector('.offline-banner');
}

describe('offline-banner', () => {
  it('is absent while online', () => {
    const comp = render();
    expect(banner(comp)).toBeFalsy();
  });

  it('appears when the connectivity store goes offline and shows the queued count', () => {
    const comp = render();
    sources.setOnline(false);
    expect(banner(comp)).toBeTruthy();
    expect(comp.querySelector('.offline-banner-text')!.dom!.textContent).toBe('网络已断开');
    sources.queue(2);
    expect(comp.querySelector('.offline-banner-text')!.dom!.textContent).toBe(
      '网络已断开，2 个操作待发送',
    );
    expect(comp.data.pending).toBe(2);
  });

  it('hides when back online, then says how many queued actions were sent, then hides', () => {
    const comp = render();
    sources.setOnline(false);
    sources.queue(3);
    setLocale('en');
    sources.setOnline(true);
    expect(banner(comp)).toBeFalsy();
    sources.flush(3);
    expect(comp.querySelector('.offline-banner-text')!.dom!.textContent).toBe(
      'Sent 3 queued actions',
    );
    expect(comp.data.mode).toBe('flushed');
    jest.advanceTimersByTime(2999);
    expect(banner(comp)).toBeTruthy();
    jest.advanceTimersByTime(1);
    expect(banner(comp)).toBeFalsy();
  });

  it('takes its icons from the app bundle, never by a bare tdesign font name', () => {
    const comp = render();
    sources.setOnline(false);
    expect(comp.data.icon).toEqual({ name: 'wifi-off', prefix: 'app-icon' });
    sources.setOnline(true);
    sources.flush(1);
    expect(comp.data.icon).toEqual({ name: 'check-circle', prefix: 'app-icon' });
  });

  it('re-renders in the new language when the locale switches', () => {
    const comp = render();
    sources.setOnline(false);
    setLocale('en');
    expect(comp.querySelector('.offline-banner-text')!.dom!.textContent).toBe('You are offline');
  });

  it('unsubscribes from every source when detached', () => {
    const comp = render();
    expect(sources.listenerCount()).toBe(2);
    comp.detach();
    expect(sources.listenerCount()).toBe(0);
    // A flush after detach schedules nothing.
    sources.flush(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});
