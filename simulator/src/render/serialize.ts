import { BUILTIN_TAGS, builtinMarkup, isTruthyProp } from './builtin-markup';
import type { ExparserNodeLike } from './exparser-node';
import { attrs, escapeText } from './html';
import { convertRpxInCss, type RpxOptions } from './rpx';

export type StyleIsolation = 'isolated' | 'apply-shared' | 'shared';

/** A custom component's definition as far as styling goes. */
export interface ComponentInfo {
  /** Path of the component relative to the mini program root, without extension. */
  path: string;
  /** From the component's json or options; read from `isolationOf` when absent. */
  isolation?: StyleIsolation;
}

/** A custom component whose stylesheet the page needs, with the class prefix its elements got. */
export interface ComponentScope {
  path: string;
  prefix: string;
  isolation: StyleIsolation;
}

export interface SerializeOptions {
  /**
   * The runtime's element id for a node (written as `data-sim-id` so `measure()` can find it).
   * Default: ids made here, stable for the same node object (`s1`, `s2`, ...).
   */
  idOf?: (node: ExparserNodeLike) => string | undefined;
  /**
   * Which custom component a node is an instance of; undefined for built-ins (view, text...).
   * Default: looks the node's `is` up in j-component's registry.
   */
  componentOf?: (node: ExparserNodeLike) => ComponentInfo | undefined;
  /** Isolation for a component whose info has none (e.g. from its json). Default 'isolated'. */
  isolationOf?: (path: string) => StyleIsolation;
  /** Rewrites an image src into a URL the renderer can load (local paths, temp files). */
  resolveUrl?: (src: string) => string;
  /** rpx conversion for inline styles. Default 375 px wide at DPR 2. */
  rpx?: RpxOptions;
  /**
   * A scroll-view's live scroll position (the runtime's scrollTo state). Default: its
   * `scroll-top`/`scroll-left` properties.
   */
  scrollOffsetOf?: (node: ExparserNodeLike) => { top: number; left: number } | undefined;
}

export interface SerializedTree {
  /** The page's composed tree as HTML for <body> (the page root is the body, as in WeChat). */
  html: string;
  /** The page's own path when `componentOf(root)` knows it. */
  pagePath?: string;
  /** Every custom component rendered, once each, in first-seen order. */
  scopes: ComponentScope[];
}

const defaultIds = new WeakMap<object, string>();
let nextDefaultId = 0;
/** Ids for callers that have none of their own: stable per node object for the process. */
export function defaultIdOf(node: ExparserNodeLike): string {
  let id = defaultIds.get(node);
  if (!id) {
    id = `s${++nextDefaultId}`;
    defaultIds.set(node, id);
  }
  return id;
}

interface JComponentManager {
  path?: string;
  definition?: { options?: { styleIsolation?: string; addGlobalClass?: boolean } };
}

let jComponentCache: ((id: string) => JComponentManager | undefined) | null | undefined;
/** j-component keeps its registry in an internal module; absent in other runtimes. */
function jComponentLookup(id: string): JComponentManager | undefined {
  if (jComponentCache === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const utils = require('j-component/src/tool/utils') as {
        cache(id: string): JComponentManager | undefined;
      };
      jComponentCache = (key) => utils.cache(key);
    } catch {
      jComponentCache = null;
    }
  }
  return jComponentCache ? jComponentCache(id) : undefined;
}

export function isolationFromOptions(
  options: { styleIsolation?: unknown; addGlobalClass?: unknown } | undefined,
): StyleIsolation | undefined {
  const value = options?.styleIsolation;
  if (value === 'isolated' || value === 'apply-shared' || value === 'shared') return value;
  if (value === 'page-isolated' || value === 'page-apply-shared') return 'apply-shared';
  if (value === 'page-shared') return 'shared';
  if (options?.addGlobalClass === true) return 'apply-shared';
  return undefined;
}

export function defaultComponentOf(node: ExparserNodeLike): ComponentInfo | undefined {
  if (!node.is) return undefined;
  const manager = jComponentLookup(node.is);
  if (!manager?.path) return undefined;
  return {
    path: manager.path.replace(/^\/+/, ''),
    isolation: isolationFromOptions(manager.definition?.options),
  };
}

export function scopePrefix(componentPath: string): string {
  return `${componentPath.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+/, '')}--`;
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function dashed(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function composedChildren(node: ExparserNodeLike): ExparserNodeLike[] {
  if (node.__wxSlotChildren) return node.__wxSlotChildren;
  if (node.shadowRoot) return [node.shadowRoot];
  return node.childNodes ?? [];
}

/** exparser's `class` getter throws on nodes that have no class list. */
function classOf(node: ExparserNodeLike): string {
  try {
    return typeof node.class === 'string' ? node.class : '';
  } catch {
    return '';
  }
}

function isTextNode(node: ExparserNodeLike): boolean {
  return typeof node.textContent === 'string' && node.childNodes === undefined;
}

/** The tag as written in the template, without WeChat's `wx-` prefix. */
function templateTag(node: ExparserNodeLike): string {
  const raw = node._vt?.tagName || node.$$?.localName || node.$$?.tagName || node.is || 'view';
  return raw.toLowerCase().replace(/^wx-/, '');
}

function rawAttribute(node: ExparserNodeLike, name: string): unknown {
  const found = node._vt?.attrs?.find((a) => a.name === name);
  if (found) return found.value;
  const fromDom = node.$$?.getAttribute?.(name);
  if (fromDom !== null && fromDom !== undefined) return fromDom;
  return undefined;
}

function propReader(node: ExparserNodeLike): (name: string) => unknown {
  return (name) => {
    const data = node.data;
    const camel = camelCase(name);
    if (data && Object.prototype.hasOwnProperty.call(data, camel)) return data[camel];
    for (const key of [name, camel, dashed(name)]) {
      const raw = rawAttribute(node, key);
      if (raw !== undefined) return raw;
    }
    return undefined;
  };
}

/**
 * Serialises a page's composed tree the way WeChat's webview lays it out: built-ins become
 * `wx-<tag>` elements, virtualHost components and template blocks leave no element, slots take
 * their assigned nodes, non-virtual custom components keep a host element named by their tag.
 * Classes get their component's scope prefix (plus the bare name where the component's styles
 * are shared with the page), external classes are resolved to the classes the parent passed.
 */
export function serializeComposedTree(
  root: ExparserNodeLike,
  options: SerializeOptions = {},
): SerializedTree {
  const idOf = options.idOf ?? defaultIdOf;
  const componentOf = options.componentOf ?? defaultComponentOf;
  const isolationOf = options.isolationOf ?? (() => 'isolated' as const);
  const resolveUrl = options.resolveUrl ?? ((src: string) => src);
  const rpx = options.rpx ?? { width: 375, dpr: 2 };
  const scopes = new Map<string, ComponentScope>();
  const infoCache = new Map<ExparserNodeLike, ComponentInfo | null>();

  const infoOf = (node: ExparserNodeLike): ComponentInfo | null => {
    let info = infoCache.get(node);
    if (info === undefined) {
      info = componentOf(node) ?? null;
      infoCache.set(node, info);
    }
    return info;
  };

  /** The custom component whose template wrote this node; null for the page's own. */
  const ownerOf = (node: ExparserNodeLike): ExparserNodeLike | null => {
    let host = node.ownerShadowRoot?.getHostNode?.() ?? null;
    while (host && host !== root && !infoOf(host)) {
      host = host.ownerShadowRoot?.getHostNode?.() ?? null;
    }
    return host && host !== root ? host : null;
  };

  const scopeOf = (component: ExparserNodeLike): ComponentScope => {
    const info = infoOf(component) as ComponentInfo;
    let scope = scopes.get(info.path);
    if (!scope) {
      scope = {
        path: info.path,
        prefix: scopePrefix(info.path),
        isolation: info.isolation ?? isolationOf(info.path),
      };
      scopes.set(info.path, scope);
    }
    return scope;
  };

  /** One class token written in `owner`'s template, as the DOM class names it becomes. */
  const resolveClass = (token: string, owner: ExparserNodeLike | null, depth: number): string[] => {
    if (!owner) return [token];
    const alias = owner.__externalClassAlias;
    if (alias && Object.prototype.hasOwnProperty.call(alias, token) && depth < 32) {
      // exparser 2.29 leaves external class names literal: map them to what the parent passed.
      const raw: unknown = alias[token] ?? (token === 'class' ? classOf(owner) : '');
      // exparser keeps the alias as a string or, in some versions, a list of class names.
      const given = Array.isArray(raw) ? raw.join(' ') : typeof raw === 'string' ? raw : '';
      const parent = ownerOf(owner);
      return given
        .split(/\s+/)
        .filter(Boolean)
        .flatMap((t) => resolveClass(t, parent, depth + 1));
    }
    const scope = scopeOf(owner);
    return scope.isolation === 'isolated' ? [scope.prefix + token] : [scope.prefix + token, token];
  };

  const classesOf = (
    node: ExparserNodeLike,
    owner: ExparserNodeLike | null,
  ): string | undefined => {
    const tokens = classOf(node).split(/\s+/).filter(Boolean);
    if (tokens.length === 0) return undefined;
    return [...new Set(tokens.flatMap((t) => resolveClass(t, owner, 0)))].join(' ');
  };

  const inlineStyle = (node: ExparserNodeLike): string | undefined => {
    const raw = rawAttribute(node, 'style');
    const style = typeof raw === 'string' ? raw : typeof node.style === 'string' ? node.style : '';
    return style.trim() ? convertRpxInCss(style, rpx) : undefined;
  };

  const out: string[] = [];
  const walk = (node: ExparserNodeLike, hostIds: string[], extraStyle?: string): void => {
    if (isTextNode(node)) {
      out.push(escapeText(node.textContent ?? ''));
      return;
    }
    const info = node === root ? null : infoOf(node);
    if (node.__virtual || node === root) {
      // No element of its own: a virtualHost component passes its id down to what it renders.
      const id = info ? idOf(node) : undefined;
      if (info) scopeOf(node);
      const ids = id ? [...hostIds, id] : hostIds;
      for (const child of composedChildren(node)) walk(child, ids);
      return;
    }
    const owner = ownerOf(node);
    const common: Record<string, string | undefined> = {
      id: node.id || undefined,
      class: classesOf(node, owner),
      'data-sim-id': idOf(node),
      'data-sim-host': hostIds.length ? hostIds.join(' ') : undefined,
    };
    let style = inlineStyle(node);
    if (info) {
      scopeOf(node);
      const tag = templateTag(node);
      out.push(`<${tag}${attrs({ ...common, style })}>`);
      for (const child of composedChildren(node)) walk(child, []);
      out.push(`</${tag}>`);
      return;
    }
    const name = templateTag(node);
    const tag = BUILTIN_TAGS.has(name) ? `wx-${name}` : `wx-${name.replace(/[^a-z0-9-]/g, '')}`;
    const prop = propReader(node);
    const markup = builtinMarkup(name, prop, resolveUrl);
    if (name === 'scroll-view') {
      let live: { top: number; left: number } | undefined;
      try {
        live = options.scrollOffsetOf?.(node);
      } catch {
        live = undefined; // the runtime does not know this node: fall back to its properties
      }
      const top = live?.top ?? (Number(prop('scrollTop')) || 0);
      const left = live?.left ?? (Number(prop('scrollLeft')) || 0);
      // Applied in the page after layout (page-helpers' applyScroll).
      if (top || left) markup.attributes['data-sim-scroll'] = `${top},${left}`;
    }
    style = [style, markup.extraStyle, extraStyle].filter(Boolean).join(';') || undefined;
    out.push(`<${tag}${attrs({ ...common, ...markup.attributes, style })}>`);
    out.push(markup.before);
    if (name === 'swiper') {
      // Only the current item is in view: lay items side by side and shift by `current`.
      const current = Number(prop('current')) || 0;
      const vertical = isTruthyProp(prop('vertical'));
      let index = 0;
      for (const child of composedChildren(node)) {
        walkSwiperItems(child, (item) => {
          const offset = (index++ - current) * 100;
          walk(item, [], `transform:translate${vertical ? 'Y' : 'X'}(${offset}%)`);
        });
      }
    } else {
      for (const child of composedChildren(node)) walk(child, []);
    }
    out.push(markup.after);
    out.push(`</${tag}>`);
  };

  /** Finds the swiper's items through virtual wrappers (wx:for blocks, slots). */
  const walkSwiperItems = (node: ExparserNodeLike, visit: (item: ExparserNodeLike) => void) => {
    if (isTextNode(node)) return;
    if (node.__virtual) {
      for (const child of composedChildren(node)) walkSwiperItems(child, visit);
      return;
    }
    visit(node);
  };

  walk(root, []);
  return { html: out.join(''), pagePath: infoOf(root)?.path, scopes: [...scopes.values()] };
}
