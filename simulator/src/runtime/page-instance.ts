import type { ExparserNode, MethodCaller } from './exparser-types';
import type { EventChannel } from './event-channel';
import type { NavigationBarState } from './ui-state';

/** One page on the stack: its exparser node and the `this` its code sees. */
export class PageInstance {
  /** Page-level scroll position (set by pageScrollTo). */
  scrollTop = 0;
  unloaded = false;
  /** This page's navigation bar (title from its json, setNavigationBarTitle, ...). */
  navigationBar: NavigationBarState = {
    title: '',
    frontColor: '#000000',
    backgroundColor: '#000000',
    loading: false,
  };

  constructor(
    readonly pageId: number,
    readonly route: string,
    readonly query: Record<string, string>,
    readonly node: ExparserNode,
    readonly caller: MethodCaller,
    readonly eventChannel: EventChannel,
  ) {}

  /** Calls a page handler if the page defines it; returns what it returned. */
  call(method: string, ...args: unknown[]): unknown {
    const fn = this.caller[method];
    if (typeof fn !== 'function') return undefined;
    return (fn as (...a: unknown[]) => unknown).apply(this.caller, args);
  }

  has(method: string): boolean {
    return typeof this.caller[method] === 'function';
  }
}
