import type { SelectorEngine } from '../dom/selector';
import type { ExparserNode } from './exparser-types';

export interface IntersectionObserverDeps {
  engine: SelectorEngine;
  scope(): ExparserNode | null;
  options: Record<string, unknown>;
  adopt<T>(value: T): T;
  report(error: unknown): void;
}

/**
 * wx.createIntersectionObserver without layout: every observed node counts as fully inside the
 * viewport, reported once (per node, or once for `observeAll`) right after observe().
 */
export function createIntersectionObserver(
  deps: IntersectionObserverDeps,
): Record<string, unknown> {
  let disconnected = false;
  const observer: Record<string, unknown> = {};
  observer.relativeTo = () => observer;
  observer.relativeToViewport = () => observer;
  observer.disconnect = () => {
    disconnected = true;
  };
  observer.observe = (selector: unknown, callback: unknown) => {
    if (typeof selector !== 'string' || typeof callback !== 'function') {
      throw new TypeError('observe(selector: string, callback: function)');
    }
    setTimeout(() => {
      if (disconnected) return;
      const scope = deps.scope();
      let nodes: ExparserNode[] = [];
      try {
        nodes = scope ? deps.engine.querySelectorAll(scope, selector) : [];
      } catch (error) {
        deps.report(error);
      }
      if (!deps.options.observeAll) nodes = nodes.slice(0, 1);
      for (const node of nodes) {
        const rect = { left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0 };
        try {
          (callback as (res: unknown) => void)(
            deps.adopt({
              id: node.id,
              dataset: { ...(node.dataset ?? {}) },
              intersectionRatio: 1,
              intersectionRect: rect,
              boundingClientRect: rect,
              relativeRect: rect,
              time: Date.now(),
            }),
          );
        } catch (error) {
          deps.report(error);
        }
      }
    }, 0);
  };
  return observer;
}
