import type { ExparserNode } from '../runtime/exparser-types';
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

const LAYOUT_PROPERTIES = new Set([
  'offsetWidth',
  'offsetHeight',
  'offsetLeft',
  'offsetTop',
  'clientWidth',
  'clientHeight',
  'clientLeft',
  'clientTop',
  'scrollWidth',
  'scrollHeight',
  'getBoundingClientRect',
]);

/** Element.* */
export function elementMethods(ctx: ProtocolContext): Handlers {
  const { runtime, gestures, builtins } = ctx;
  const tree = runtime.tree;
  const target = (params: Record<string, unknown>) => {
    const entry = ctx.elements.get(params.elementId);
    // wx:if turned false, or the list item was re-rendered: the node is gone from the page.
    if (!runtime.libraries.exparser.Element.isAttached(entry.node)) {
      throw new Error(`element ${String(params.elementId)} is no longer on the page`);
    }
    return entry;
  };
  const names = (params: Record<string, unknown>): string[] => {
    if (!Array.isArray(params.names)) throw new Error('parameter "names" must be an array');
    return params.names.map(String);
  };
  const customCaller = (node: ExparserNode) => {
    if (!tree.isCustomComponent(node))
      throw new Error(`${tree.tagName(node)} is not a custom component`);
    return runtime.callerOf(node);
  };
  const search = (params: Record<string, unknown>) => {
    const { node, pageId } = target(params);
    const selector = requireString(params, 'selector');
    const scope = tree.isCustomComponent(node) ? (node.shadowRoot as ExparserNode) : node;
    return { nodes: runtime.selectors.querySelectorAll(scope, selector), pageId, selector };
  };
  const domProperty = (node: ExparserNode, name: string): unknown => {
    if (LAYOUT_PROPERTIES.has(name)) throw needsRendering(`Element property "${name}"`);
    switch (name) {
      case 'innerText':
      case 'textContent':
        return runtime.serializer.text(node);
      case 'innerHTML':
        return runtime.serializer.innerWxml(node);
      case 'outerHTML':
        return runtime.serializer.outerWxml(node);
      case 'tagName':
        return tree.tagName(node).toUpperCase();
      case 'id':
        return node.id;
      case 'className':
        return tree.classes(node).join(' ');
      case 'dataset':
        return { ...(node.dataset ?? {}) };
      case 'scrollTop':
      case 'scrollLeft':
        if (tree.tagName(node) === 'scroll-view') {
          const offset = builtins.scrollOffset(node);
          return name === 'scrollTop' ? offset.top : offset.left;
        }
        return 0;
      default:
        return tree.property(node, name);
    }
  };
  return {
    'Element.getElement': (params) => {
      const { nodes, pageId, selector } = search(params);
      if (!nodes[0]) throw new Error(`element "${selector}" not found`);
      return describeElement(ctx, nodes[0], pageId);
    },
    'Element.getElements': (params) => {
      const { nodes, pageId } = search(params);
      return { elements: nodes.map((node) => describeElement(ctx, node, pageId)) };
    },
    'Element.getDOMProperties': async (params) => {
      const { node } = target(params);
      const wanted = names(params);
      // Only sizes need the page laid out; text and properties come from the tree.
      const layoutNames = wanted.filter((name) => LAYOUT_PROPERTIES.has(name));
      const layout =
        ctx.rendering && layoutNames.length
          ? await ctx.rendering.domProperties(node, layoutNames)
          : [];
      return {
        properties: wanted.map((name) =>
          ctx.rendering && LAYOUT_PROPERTIES.has(name)
            ? layout[layoutNames.indexOf(name)]
            : toJson(domProperty(node, name)),
        ),
      };
    },
    'Element.getAttributes': (params) => {
      const { node } = target(params);
      return { attributes: names(params).map((name) => tree.attribute(node, name)) };
    },
    'Element.getStyles': async (params) => {
      const { node } = target(params);
      if (ctx.rendering) return { styles: await ctx.rendering.styles(node, names(params)) };
      const style = parseStyle(String(tree.templateAttribute(node, 'style') ?? ''));
      return { styles: names(params).map((name) => style[name] ?? '') };
    },
    'Element.getProperties': (params) => {
      const { node } = target(params);
      return {
        properties: names(params).map((name) => {
          if (name === '__propPublic') {
            const out: Record<string, boolean> = {};
            for (const key of tree.publicProperties(node)) out[key] = true;
            return out;
          }
          if (name === '_translateX' || name === '_translateY')
            return (node as Record<string, unknown>)[name] ?? 0;
          return toJson(tree.property(node, name));
        }),
      };
    },
    'Element.getOffset': async (params) => {
      const { node } = target(params);
      if (!ctx.rendering) throw needsRendering('Element.getOffset');
      return await ctx.rendering.getOffset(node);
    },
    'Element.getWXML': (params) => {
      const { node } = target(params);
      const wxml =
        params.type === 'outer'
          ? runtime.serializer.outerWxml(node)
          : runtime.serializer.innerWxml(node);
      return { wxml };
    },
    'Element.tap': (params) => {
      gestures.tap(target(params).node);
      return {};
    },
    'Element.touchstart': (params) => {
      gestures.touchstart(
        target(params).node,
        params.touches,
        params.changedTouches ?? params.changeTouches,
      );
      return {};
    },
    'Element.touchmove': (params) => {
      gestures.touchmove(
        target(params).node,
        params.touches,
        params.changedTouches ?? params.changeTouches,
      );
      return {};
    },
    'Element.touchend': (params) => {
      gestures.touchend(
        target(params).node,
        params.touches,
        params.changedTouches ?? params.changeTouches,
      );
      return {};
    },
    'Element.triggerEvent': (params) => {
      const { node } = target(params);
      const type = requireString(params, 'type');
      node.triggerEvent(type, runtime.sandbox.copyIn(params.detail ?? {}));
      return {};
    },
    'Element.dispatchEvent': (params) => {
      const { node } = target(params);
      const name = requireString(params, 'eventName');
      const data = (params.eventData ?? {}) as Record<string, unknown>;
      const detail = data && typeof data === 'object' && 'detail' in data ? data.detail : data;
      gestures.dispatch(node, name, runtime.sandbox.copyIn(detail ?? {}));
      return {};
    },
    'Element.callFunction': async (params) => {
      const { node } = target(params);
      const name = requireString(params, 'functionName');
      const args = argsOf(params);
      switch (name) {
        case 'input.input':
        case 'textarea.input':
          builtins.input(node, args[0]);
          return {};
        case 'scroll-view.scrollTo':
          builtins.scrollTo(node, args[0], args[1]);
          return {};
        case 'scroll-view.scrollTop':
          return { result: builtins.scrollOffset(node).top };
        case 'scroll-view.scrollLeft':
          return { result: builtins.scrollOffset(node).left };
        case 'scroll-view.scrollWidth':
        case 'scroll-view.scrollHeight': {
          if (!ctx.rendering) throw needsRendering(`Element.callFunction ${name}`);
          const [value] = await ctx.rendering.domProperties(node, [
            name.slice('scroll-view.'.length),
          ]);
          return { result: value };
        }
        case 'swiper.swipeTo':
          builtins.swipeTo(node, args[0]);
          return {};
        case 'movable-view.moveTo':
          builtins.moveTo(node, args[0], args[1]);
          return {};
        case 'switch.tap':
          builtins.toggleSwitch(node);
          return {};
        case 'slider.slideTo':
          builtins.slideTo(node, args[0]);
          return {};
        default:
          throw new Error(`Element.callFunction: unknown function "${name}"`);
      }
    },
    'Element.setData': (params) => {
      const { node } = target(params);
      const data = params.data;
      if (!data || typeof data !== 'object' || Array.isArray(data))
        throw new Error('parameter "data" must be an object');
      customCaller(node).setData(runtime.sandbox.copyIn(data as Record<string, unknown>));
      return {};
    },
    'Element.getData': (params) => {
      const { node } = target(params);
      return { data: toJson(valueAtPath(customCaller(node).data, params.path)) };
    },
    'Element.callMethod': async (params) => {
      const { node } = target(params);
      const caller = customCaller(node);
      const method = requireString(params, 'method');
      const fn = caller[method];
      if (typeof fn !== 'function')
        throw new Error(`${tree.tagName(node)}.${method} is not a function`);
      const result = await (fn as (...a: unknown[]) => unknown).apply(
        caller,
        runtime.sandbox.copyIn(argsOf(params)),
      );
      return { result: toJson(result) };
    },
    'Element.callContextMethod': (params) => {
      const { node } = target(params);
      throw new Error(
        `Element.callContextMethod on ${tree.tagName(node)}: media contexts are not emulated`,
      );
    },
  };
}

function parseStyle(style: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const declaration of style.split(';')) {
    const index = declaration.indexOf(':');
    if (index < 0) continue;
    const name = declaration.slice(0, index).trim();
    const value = declaration.slice(index + 1).trim();
    if (!name) continue;
    out[name] = value;
    out[name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = value;
  }
  return out;
}
