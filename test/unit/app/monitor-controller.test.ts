import {
  INITIAL_MONITOR_DATA,
  MonitorController,
  REFRESH_MS,
} from '../../../miniprogram/pages/monitor/controller';
import type { MonitorSnapshotView } from '../../../miniprogram/services/ports';
import { fakeView } from './page-fakes';

function snapshot(count: number): MonitorSnapshotView {
  return {
    totals: { count, errors: 0, cacheHits: 0, retries: 0 },
    endpoints: [],
    slowest: [],
    recent: [],
  };
}

function setup() {
  jest.useFakeTimers();
  let count = 0;
  const monitor = {
    snapshot: jest.fn(() => snapshot(count)),
    reset: jest.fn(() => {
      count = 0;
    }),
  };
  const view = fakeView(INITIAL_MONITOR_DATA);
  const controller = new MonitorController(view, monitor, {
    setInterval: (callback, ms) => setInterval(callback, ms),
    clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
  });
  return { view, controller, monitor, setCount: (next: number) => (count = next) };
}

afterEach(() => jest.useRealTimers());

describe('MonitorController', () => {
  it('renders when shown and keeps the figures current while showing', () => {
    const t = setup();
    t.setCount(3);
    t.controller.show();
    expect(t.view.data.view.totals.requests).toBe(3);
    t.setCount(5);
    jest.advanceTimersByTime(REFRESH_MS);
    expect(t.view.data.view.totals.requests).toBe(5);
  });

  it('runs no timer while hidden, and never two after repeated shows', () => {
    const t = setup();
    t.controller.show();
    t.controller.show();
    expect(jest.getTimerCount()).toBe(1);
    t.controller.hide();
    expect(jest.getTimerCount()).toBe(0);
    const reads = t.monitor.snapshot.mock.calls.length;
    jest.advanceTimersByTime(REFRESH_MS * 3);
    expect(t.monitor.snapshot.mock.calls.length).toBe(reads);
  });

  it('reset clears the monitor and shows the empty state at once', () => {
    const t = setup();
    t.setCount(4);
    t.controller.show();
    expect(t.view.data.view.empty).toBe(false);
    t.controller.reset();
    expect(t.monitor.reset).toHaveBeenCalledTimes(1);
    expect(t.view.data.view.empty).toBe(true);
  });
});
