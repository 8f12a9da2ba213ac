import type { MiniProgramRuntime } from '../runtime/mini-program';
import type { ExparserNode } from '../runtime/exparser-types';
import type { Gestures } from '../dom/gestures';
import type { BuiltinBehaviour } from '../builtins/builtin-behaviour';
import type { ElementRegistry } from './element-registry';
import type { PageRendering } from '../render/attach';

export type Handler = (params: Record<string, unknown>) => unknown;
export type Handlers = Record<string, Handler>;

/** Everything protocol handlers work with. */
export interface ProtocolContext {
  runtime: MiniProgramRuntime;
  elements: ElementRegistry;
  gestures: Gestures;
  builtins: BuiltinBehaviour;
  /** Layout answers from headless Chromium, or null when rendering is not enabled. */
  rendering: PageRendering | null;
  sdkVersion: string;
  /** Log forwarding (App.enableLog). */
  enableLog(): void;
  /** Tool.close: end the simulator after replying. */
  requestClose(): void;
}

/** The error for what needs a layout engine, which this simulator does not run. */
export function needsRendering(what: string): Error {
  return new Error(
    `${what} needs rendering (not enabled): the headless simulator has no layout engine`,
  );
}

/** The reply describing an element, as Page.getElement / Element.getElement return it. */
export function describeElement(
  ctx: ProtocolContext,
  node: ExparserNode,
  pageId: number,
): Record<string, unknown> {
  const elementId = ctx.elements.idOf(node, pageId);
  const tagName = ctx.runtime.tree.tagName(node);
  const reply: Record<string, unknown> = { elementId, tagName };
  if (ctx.runtime.tree.isCustomComponent(node)) reply.nodeId = elementId;
  if (tagName === 'video') reply.videoId = elementId;
  return reply;
}

/** `a.b[0].c` → value inside data. */
export function valueAtPath(data: unknown, path: unknown): unknown {
  if (path === undefined || path === null || path === '') return data;
  if (typeof path !== 'string') throw new Error('path must be a string');
  const keys = path.match(/[^.[\]]+/g) ?? [];
  let current: unknown = data;
  for (const key of keys) {
    if (current === null || current === undefined) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A value made safe for JSON (functions dropped, cycles cut). */
export function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  const seen = new WeakSet<object>();
  try {
    return JSON.parse(
      JSON.stringify(value, (_key, item: unknown) => {
        if (typeof item === 'function') return undefined;
        if (item && typeof item === 'object') {
          if (seen.has(item)) return undefined;
          seen.add(item);
        }
        return item;
      }) ?? 'null',
    ) as unknown;
  } catch (error) {
    throw new Error(`result is not serializable: ${(error as Error).message}`);
  }
}

export function requireString(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '')
    throw new Error(`parameter "${key}" must be a non-empty string`);
  return value;
}

export function argsOf(params: Record<string, unknown>): unknown[] {
  const args = params.args ?? [];
  if (!Array.isArray(args)) throw new Error('parameter "args" must be an array');
  return args;
}
