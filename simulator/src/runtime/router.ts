import type { Project } from '../project/project';
import { ApiFailure } from './async-api';
import { EventChannel } from './event-channel';
import type { PageInstance } from './page-instance';
import type { PageLifecycle } from './page-lifecycle';
import { parsePageUrl, type ParsedUrl } from './url';

/** WeChat's limit on pages in the stack. */
export const MAX_PAGE_STACK = 10;

/**
 * The page stack and WeChat's routing rules: tabBar pages only through switchTab (and stay
 * alive while another tab shows), at most 10 pages, navigateBack never past the first page.
 * Routes run one at a time, in call order.
 */
export class Router {
  readonly stack: PageInstance[] = [];
  private readonly tabPages = new Map<string, PageInstance>();
  private queue: Promise<unknown> = Promise.resolve();
  private routesRequested = 0;

  constructor(
    private readonly project: Project,
    private readonly lifecycle: PageLifecycle,
    /** Called when a route targets a page that does not exist (App.onPageNotFound). */
    private readonly onPageNotFound: (target: ParsedUrl, isEntryPage: boolean) => void,
  ) {}

  get current(): PageInstance | null {
    return this.stack[this.stack.length - 1] ?? null;
  }

  /** A live page: in the stack, or a tab page kept alive in the background. */
  findPage(pageId: number): PageInstance | undefined {
    return (
      this.stack.find((page) => page.pageId === pageId) ??
      [...this.tabPages.values()].find((page) => page.pageId === pageId)
    );
  }

  exists(route: string): boolean {
    return this.project.routes.includes(route);
  }

  isTab(route: string): boolean {
    return this.project.tabBarRoutes.includes(route);
  }

  /**
   * The first page at launch. A missing entry page goes to App.onPageNotFound, which must route
   * somewhere (that route then opens the first page), or launching fails.
   */
  launch(route: string, query: Record<string, string>): PageInstance | null {
    if (!this.exists(route)) {
      const before = this.routesRequested;
      this.onPageNotFound({ route, query }, true);
      if (this.routesRequested > before) return null;
      throw new Error(
        `entry page "${route}" is not found in app.json (and App.onPageNotFound did not route)`,
      );
    }
    const page = this.lifecycle.open(route, query);
    if (this.isTab(route)) this.tabPages.set(route, page);
    this.stack.push(page);
    return page;
  }

  navigateTo(url: unknown, events?: unknown): Promise<{ eventChannel: EventChannel }> {
    return this.serial(() => {
      const target = this.target(url);
      if (this.isTab(target.route)) throw new ApiFailure('can not navigateTo a tabbar page');
      if (this.stack.length >= MAX_PAGE_STACK) throw new ApiFailure('webview count limit exceed');
      this.lifecycle.prepare(target.route);
      const channel = new EventChannel(
        events && typeof events === 'object' ? (events as Record<string, unknown>) : undefined,
      );
      const previous = this.current;
      if (previous) this.lifecycle.hide(previous);
      this.stack.push(this.lifecycle.open(target.route, target.query, channel));
      return { eventChannel: channel };
    });
  }

  redirectTo(url: unknown): Promise<void> {
    return this.serial(() => {
      const target = this.target(url);
      if (this.isTab(target.route)) throw new ApiFailure('can not redirectTo a tabbar page');
      this.lifecycle.prepare(target.route);
      const previous = this.stack.pop();
      if (previous) this.close(previous);
      this.stack.push(this.lifecycle.open(target.route, target.query));
    });
  }

  reLaunch(url: unknown): Promise<void> {
    return this.serial(() => {
      const target = this.target(url);
      this.lifecycle.prepare(target.route);
      while (this.stack.length) this.close(this.stack.pop() as PageInstance);
      for (const page of this.tabPages.values()) this.lifecycle.unload(page);
      this.tabPages.clear();
      const page = this.lifecycle.open(target.route, target.query);
      if (this.isTab(target.route)) this.tabPages.set(target.route, page);
      this.stack.push(page);
    });
  }

  switchTab(url: unknown): Promise<void> {
    return this.serial(() => {
      const target = this.target(url);
      if (!this.isTab(target.route)) throw new ApiFailure('can not switch to no-tabBar page');
      this.lifecycle.prepare(target.route);
      const current = this.current;
      if (current && current.route === target.route && this.stack.length === 1) return;
      // Non-tab pages close; the tab page we leave is hidden but stays alive.
      while (this.stack.length) {
        const page = this.stack.pop() as PageInstance;
        if (this.tabPages.get(page.route) === page) {
          if (page === current) this.lifecycle.hide(page);
        } else this.close(page);
      }
      const existing = this.tabPages.get(target.route);
      if (existing) {
        this.stack.push(existing);
        this.lifecycle.show(existing);
      } else {
        const page = this.lifecycle.open(target.route, {});
        this.tabPages.set(target.route, page);
        this.stack.push(page);
      }
    });
  }

  navigateBack(delta: unknown = 1): Promise<void> {
    return this.serial(() => {
      const steps =
        typeof delta === 'number' && Number.isFinite(delta) ? Math.max(1, Math.floor(delta)) : 1;
      if (this.stack.length <= 1) throw new ApiFailure('cannot navigate back at first page.');
      const count = Math.min(steps, this.stack.length - 1);
      for (let i = 0; i < count; i++) this.close(this.stack.pop() as PageInstance);
      const top = this.current;
      if (top) this.lifecycle.show(top);
    });
  }

  /** Unload every page (app exit). */
  closeAll(): void {
    while (this.stack.length) this.close(this.stack.pop() as PageInstance);
    for (const page of this.tabPages.values()) this.lifecycle.unload(page);
    this.tabPages.clear();
  }

  private close(page: PageInstance): void {
    if (this.tabPages.get(page.route) === page) this.tabPages.delete(page.route);
    this.lifecycle.unload(page);
  }

  private target(url: unknown): ParsedUrl {
    let parsed: ParsedUrl;
    try {
      parsed = parsePageUrl(url, this.current?.route ?? null);
    } catch (error) {
      throw new ApiFailure((error as Error).message);
    }
    if (!this.exists(parsed.route)) {
      throw new ApiFailure(`page "${parsed.route}" is not found`);
    }
    return parsed;
  }

  private serial<T>(fn: () => T): Promise<T> {
    this.routesRequested++;
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
