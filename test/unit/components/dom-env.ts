/**
 * miniprogram-simulate (j-component) renders into a DOM; the unit project runs in plain Node,
 * so a jsdom window is installed on the globals before simulate is required.
 */
import { JSDOM } from 'jsdom';

export function installDom(): () => void {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    pretendToBeVisual: true,
  });
  const scope = globalThis as unknown as Record<string, unknown>;
  const names = [
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
  const previous = new Map(names.map((name) => [name, scope[name]]));
  const win = dom.window as unknown as Record<string, unknown>;
  for (const name of names) scope[name] = win[name];
  // wcc-compiled templates check this (see headless-simulator.md).
  win.__webview_engine_version__ = 0.02;
  return () => {
    for (const [name, value] of previous) scope[name] = value;
    dom.window.close();
  };
}
