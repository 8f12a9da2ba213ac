/**
 * The part of miniprogram-simulate these tests use. Its own typings pull j-component's old
 * miniprogram-api-typings (3.x), whose global `Component` clashes with the app's 5.x, so the
 * shape is declared here instead.
 */
export interface SimulatedNode {
  dom?: { textContent: string | null; getAttribute(name: string): string | null };
  querySelector(selector: string): SimulatedNode | undefined;
  querySelectorAll(selector: string): SimulatedNode[];
  dispatchEvent(name: string, options?: Record<string, unknown>): void;
}

export interface SimulatedComponent extends SimulatedNode {
  data: Record<string, unknown>;
  instance: Record<string, unknown>;
  attach(parent: unknown): void;
  detach(): void;
  setData(data: Record<string, unknown>, callback?: () => void): void;
}

export interface Simulate {
  load(
    componentPath: string,
    tagName: string,
    options?: { compiler?: 'simulate' | 'official'; usingComponents?: Record<string, string> },
  ): string;
  render(id: string, properties?: Record<string, unknown>): SimulatedComponent;
}

export function loadSimulate(): Simulate {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('miniprogram-simulate') as Simulate;
}
