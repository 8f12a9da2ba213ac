/**
 * The network monitor page's logic: the monitor's snapshot turned into the view model
 * (services/monitor-view.ts) when the page shows, every REFRESH_MS while it shows, on "refresh",
 * and after "reset". No timer runs while the page is hidden.
 */
import { monitorView } from '../../services/monitor-view';
import type { MonitorView } from '../../services/monitor-view';
import type { PageView } from '../../services/page-view';
import type { MonitorPort } from '../../services/ports';

/** How often the page re-reads the snapshot while it is showing. */
export const REFRESH_MS = 2000;

export interface MonitorData {
  view: MonitorView;
}

export const INITIAL_MONITOR_DATA: MonitorData = {
  view: monitorView({
    totals: { count: 0, errors: 0, cacheHits: 0, retries: 0 },
    endpoints: [],
    slowest: [],
    recent: [],
  }),
};

export interface MonitorTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export class MonitorController {
  private timer: unknown;

  constructor(
    private readonly view: PageView<MonitorData>,
    private readonly monitor: Pick<MonitorPort, 'snapshot' | 'reset'>,
    private readonly timers: MonitorTimers,
  ) {}

  /** onShow: render now and keep it current. */
  show(): void {
    this.render();
    if (this.timer === undefined) {
      this.timer = this.timers.setInterval(() => this.render(), REFRESH_MS);
    }
  }

  /** onHide / onUnload. */
  hide(): void {
    if (this.timer !== undefined) this.timers.clearInterval(this.timer);
    this.timer = undefined;
  }

  render(): void {
    this.view.setData({ view: monitorView(this.monitor.snapshot()) });
  }

  reset(): void {
    this.monitor.reset();
    this.render();
  }
}
