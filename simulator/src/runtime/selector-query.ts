import type { SelectorEngine } from '../dom/selector';
import type { TreeView } from '../dom/tree';
import type { ExparserNode } from './exparser-types';

type Callback = (result: unknown) => void;
type Fields = Record<string, unknown>;

interface Request {
  selector: string;
  all: boolean;
  viewport: boolean;
  fields: Fields;
  callback?: Callback;
}

export interface SelectorQueryDeps {
  engine: SelectorEngine;
  tree: TreeView;
  /** The shadow root to search when no `.in(component)` is given (the current page). */
  defaultScope(): ExparserNode | null;
  /** The node behind a component/page `this`. */
  nodeOf(instance: unknown): ExparserNode | null;
  adopt<T>(value: T): T;
  report(error: unknown): void;
  /** Real boxes when rendering is enabled (viewport-relative); otherwise rects are 0. */
  rect?(node: ExparserNode): Promise<LayoutRect>;
}

export interface LayoutRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/**
 * wx.createSelectorQuery / this.createSelectorQuery. Without a layout engine every rect, size and
 * scroll offset is 0; ids, datasets, properties and `node`s are real.
 */
export function createSelectorQuery(
  deps: SelectorQueryDeps,
  scopeInstance?: unknown,
): Record<string, unknown> {
  let scope: ExparserNode | null = scopeInstance ? shadowOf(deps.nodeOf(scopeInstance)) : null;
  const requests: Request[] = [];
  const query: Record<string, unknown> = {};

  const nodesRef = (selector: string, all: boolean, viewport = false): Record<string, unknown> => {
    const add = (fields: Fields, callback?: unknown): Record<string, unknown> => {
      requests.push({
        selector,
        all,
        viewport,
        fields,
        callback: typeof callback === 'function' ? (callback as Callback) : undefined,
      });
      return query;
    };
    return {
      boundingClientRect: (cb?: unknown) =>
        add({ id: true, dataset: true, rect: true, size: true }, cb),
      scrollOffset: (cb?: unknown) => add({ id: true, dataset: true, scrollOffset: true }, cb),
      fields: (fields: Fields, cb?: unknown) => add(fields ?? {}, cb),
      node: (cb?: unknown) => add({ node: true }, cb),
      context: (cb?: unknown) => add({ context: true }, cb),
    };
  };

  query.in = (component: unknown) => {
    scope = shadowOf(deps.nodeOf(component));
    return query;
  };
  query.select = (selector: string) => nodesRef(selector, false);
  query.selectAll = (selector: string) => nodesRef(selector, true);
  query.selectViewport = () => nodesRef('', false, true);
  query.exec = (callback?: unknown) => {
    const results = requests.map((request) => {
      if (request.viewport) return describe(null, request.fields, deps);
      const root = scope ?? deps.defaultScope();
      if (!root) return request.all ? [] : null;
      let nodes: ExparserNode[];
      try {
        nodes = deps.engine.querySelectorAll(root, request.selector);
      } catch (error) {
        deps.report(error);
        nodes = [];
      }
      if (request.all) return nodes.map((node) => describe(node, request.fields, deps));
      return nodes[0] ? describe(nodes[0], request.fields, deps) : null;
    });
    const deliver = (): void => {
      results.forEach((result, index) => {
        const cb = requests[index].callback;
        if (cb) safe(() => cb(deps.adopt(result)), deps.report);
      });
      if (typeof callback === 'function')
        safe(() => (callback as Callback)(deps.adopt(results)), deps.report);
    };
    measure(requests, results, deps).then(
      () => setTimeout(deliver, 0),
      (error: unknown) => {
        deps.report(error);
        setTimeout(deliver, 0);
      },
    );
    return query;
  };
  return query;
}

/** Fills rects and sizes from the layout, when there is one. */
async function measure(
  requests: Request[],
  results: unknown[],
  deps: SelectorQueryDeps,
): Promise<void> {
  const rect = deps.rect;
  if (!rect) return;
  const jobs: Array<Promise<void>> = [];
  results.forEach((result, index) => {
    const { fields } = requests[index];
    if (!fields.rect && !fields.size) return;
    const entries = (Array.isArray(result) ? result : [result]) as Array<Record<
      string,
      unknown
    > | null>;
    for (const entry of entries) {
      const node = entry ? measuredNodes.get(entry) : undefined;
      if (!entry || !node) continue;
      jobs.push(
        rect(node).then((box) => {
          if (fields.rect)
            Object.assign(entry, {
              left: box.left,
              right: box.right,
              top: box.top,
              bottom: box.bottom,
            });
          if (fields.size) Object.assign(entry, { width: box.width, height: box.height });
        }),
      );
    }
  });
  await Promise.all(jobs);
}

/** Which node each described entry came from (for measuring). */
const measuredNodes = new WeakMap<object, ExparserNode>();

function shadowOf(node: ExparserNode | null): ExparserNode | null {
  return node?.shadowRoot ?? node;
}

function describe(
  node: ExparserNode | null,
  fields: Fields,
  deps: SelectorQueryDeps,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (fields.id) out.id = node?.id ?? '';
  if (fields.dataset) out.dataset = { ...(node?.dataset ?? {}) };
  if (fields.rect) Object.assign(out, { left: 0, right: 0, top: 0, bottom: 0 });
  if (fields.size) Object.assign(out, { width: 0, height: 0 });
  if (fields.scrollOffset)
    Object.assign(out, { scrollLeft: 0, scrollTop: 0, scrollWidth: 0, scrollHeight: 0 });
  if (Array.isArray(fields.properties) && node) {
    for (const name of fields.properties as string[]) out[name] = deps.tree.property(node, name);
  }
  if (fields.node && node) out.node = { tagName: deps.tree.tagName(node), id: node.id };
  if (fields.context) out.context = {};
  if (node) measuredNodes.set(out, node);
  return out;
}

function safe(fn: () => void, report: (error: unknown) => void): void {
  try {
    fn();
  } catch (error) {
    report(error);
  }
}
