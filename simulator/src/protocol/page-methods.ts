import {
  argsOf,
  describeElement,
  needsRendering,
  requireString,
  toJson,
  valueAtPath,
  type Handlers,
  type ProtocolContext,
} from './context';

/** Page.* */
export function pageMethods(ctx: ProtocolContext): Handlers {
  const { runtime } = ctx;
  const pageOf = (params: Record<string, unknown>) => runtime.pageById(params.pageId);
  const query = (params: Record<string, unknown>) => {
    const page = pageOf(params);
    const selector = requireString(params, 'selector');
    const root = page.node.shadowRoot ?? page.node;
    return { page, nodes: runtime.selectors.querySelectorAll(root, selector), selector };
  };
  return {
    'Page.getElement': (params) => {
      const { page, nodes, selector } = query(params);
      if (!nodes[0]) throw new Error(`element "${selector}" not found`);
      return describeElement(ctx, nodes[0], page.pageId);
    },
    'Page.getElements': (params) => {
      const { page, nodes } = query(params);
      return { elements: nodes.map((node) => describeElement(ctx, node, page.pageId)) };
    },
    'Page.getElementByXpath': () => {
      throw new Error(
        'XPath selectors are not supported by the headless simulator; use CSS selectors',
      );
    },
    'Page.getElementsByXpath': () => {
      throw new Error(
        'XPath selectors are not supported by the headless simulator; use CSS selectors',
      );
    },
    'Page.getData': (params) => ({
      data: toJson(valueAtPath(pageOf(params).caller.data, params.path)),
    }),
    'Page.setData': (params) => {
      const data = params.data;
      if (!data || typeof data !== 'object' || Array.isArray(data))
        throw new Error('parameter "data" must be an object');
      pageOf(params).caller.setData(runtime.sandbox.copyIn(data as Record<string, unknown>));
      return {};
    },
    'Page.callMethod': async (params) => {
      const page = pageOf(params);
      const method = requireString(params, 'method');
      if (!page.has(method)) throw new Error(`${page.route}.${method} is not a function`);
      const result = await page.call(
        method,
        ...(runtime.sandbox.copyIn(argsOf(params)) as unknown[]),
      );
      return { result: toJson(result) };
    },
    'Page.getWindowProperties': async (params) => {
      const page = pageOf(params);
      const names = params.names;
      if (!Array.isArray(names)) throw new Error('parameter "names" must be an array');
      if (ctx.rendering && page === runtime.currentPage) {
        return { properties: await ctx.rendering.windowProperties(names.map(String)) };
      }
      return {
        properties: names.map((name) => {
          if (name === 'document.documentElement.scrollTop' || name === 'document.body.scrollTop')
            return page.scrollTop;
          throw needsRendering(`Page.getWindowProperties "${String(name)}"`);
        }),
      };
    },
  };
}
