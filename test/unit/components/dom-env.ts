/// <reference types="node" />
/**
 * miniprogram-simulate (j-component) renders into a DOM; the unit project runs in plain Node,
 * so a jsdom window is installed on the globals before simulate is required.
 */

interface JsdomWindow {
  close(): void;
}
type JsdomConstructor = new (
  html: string,
  options: { pretendToBeVisual: boolean },
) => { window: JsdomWindow };

// Loaded untyped on purpose: @types/jsdom is not a dependency.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JSDOM } = require('jsdom') as { JSDOM: JsdomConstructor };

const GLOBALS = [
  'window',
  'document',
  'navigator',
  'Node',
  'Element',
  'HTMLElement',
  'Event',
  'CustomEvent',
  'MutationObserver',
  'getComputedStyle',
];

export function installDom(): () => void {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    pretendToBeVisual: true,
  });
  const scope = globalThis as unknown as Record<string, unknown>;
  const previous = new Map(GLOBALS.map((name) => [name, scope[name]]));
  const win = dom.window as unknown as Record<string, unknown>;
  for (const name of GLOBALS) scope[name] = win[name];
  // wcc-compiled templates check this (see headless-simulator.md).
  win.__webview_engine_version__ = 0.02;
  return () => {
    for (const [name, value] of previous) scope[name] = value;
    dom.window.close();
  };
}

/** A detached element to attach a rendered component to. */
export function createParent(): unknown {
  const doc = (globalThis as unknown as { document: { createElement(tag: string): unknown } })
    .document;
  return doc.createElement('parent-wrapper');
}
