import type { TreeView } from '../dom/tree';
import type { ComponentRegistry } from './component-registry';
import type { Exparser, MethodCaller } from './exparser-types';
import type { ViewLibraries } from './view-libraries';
import { EventChannel } from './event-channel';
import { PageInstance } from './page-instance';

export interface PageLifecycleDeps {
  libraries: ViewLibraries;
  registry: ComponentRegistry;
  tree: TreeView;
  /** Runs app code, reporting (not throwing) what it throws, as WeChat does. */
  guard<T>(what: string, fn: () => T): T | undefined;
  /** Called for every page created, before onLoad (adds route, options, ...). */
  decorate(page: PageInstance): void;
  /** Called after a page unloaded. */
  unloaded(page: PageInstance): void;
  adopt<T>(value: T): T;
}

/** Creates pages and drives their lifecycles in WeChat's order. */
export class PageLifecycle {
  private nextPageId = 1;
  private opening = 0;

  /** True while a page renders for the first time (its components get `ready` from open()). */
  get isOpening(): boolean {
    return this.opening > 0;
  }

  constructor(private readonly deps: PageLifecycleDeps) {}

  private get exparser(): Exparser {
    return this.deps.libraries.exparser;
  }

  /** Registers the page's code and components (throws on broken code) without opening it. */
  prepare(route: string): void {
    this.deps.registry.ensurePage(route);
  }

  /** created → attached → onLoad(query) → onShow → ready → onReady. */
  open(route: string, query: Record<string, string>, channel?: EventChannel): PageInstance {
    const id = this.deps.registry.ensurePage(route);
    const manager = this.deps.libraries.componentManager(id);
    if (!manager) throw new Error(`page ${route} failed to register`);
    this.opening++;
    try {
      return this.render(route, query, manager.exparserDef, channel);
    } finally {
      this.opening--;
    }
  }

  private render(
    route: string,
    query: Record<string, string>,
    definition: unknown,
    channel?: EventChannel,
  ): PageInstance {
    const node = this.exparser.createElement('page', definition);
    const caller = this.exparser.Element.getMethodCaller(node) as MethodCaller;
    const page = new PageInstance(
      this.nextPageId++,
      route,
      query,
      node,
      caller,
      channel ?? new EventChannel(),
    );
    this.deps.decorate(page);
    // A page built with Component() receives its query as properties.
    const properties = this.exparser.Component.listPublicProperties(node);
    const queryProps = Object.keys(query).filter((key) => properties.includes(key));
    if (queryProps.length) {
      const proxy = this.exparser.Component.getDataProxy(node);
      for (const key of queryProps) proxy.scheduleReplace([key], query[key]);
      proxy.doUpdates(true);
    }
    this.exparser.Element.pretendAttached(node);
    this.deps.guard(`${route} onLoad`, () => page.call('onLoad', this.deps.adopt({ ...query })));
    this.show(page);
    for (const component of this.deps.tree.allComponents(node.shadowRoot ?? node)) {
      this.deps.guard(`${component.is} ready`, () => component.triggerLifeTime('ready'));
    }
    this.deps.guard(`${route} ready`, () => node.triggerLifeTime('ready'));
    this.deps.guard(`${route} onReady`, () => page.call('onReady'));
    return page;
  }

  show(page: PageInstance): void {
    this.deps.guard(`${page.route} onShow`, () => page.call('onShow'));
    this.deps.guard(`${page.route} pageLifetimes.show`, () =>
      page.node.triggerPageLifeTime('show'),
    );
  }

  hide(page: PageInstance): void {
    this.deps.guard(`${page.route} onHide`, () => page.call('onHide'));
    this.deps.guard(`${page.route} pageLifetimes.hide`, () =>
      page.node.triggerPageLifeTime('hide'),
    );
  }

  unload(page: PageInstance): void {
    if (page.unloaded) return;
    page.unloaded = true;
    this.deps.guard(`${page.route} onUnload`, () => page.call('onUnload'));
    this.deps.guard(`${page.route} detached`, () =>
      this.exparser.Element.pretendDetached(page.node),
    );
  }
}
