/** The parts of miniprogram-exparser and j-component the runtime uses (they ship no types). */

export interface TemplateAttr {
  name: string;
  value: unknown;
}

/** j-component's virtual tree node, kept on every rendered exparser node as `_vt`. */
export interface VirtualTree {
  type: string;
  tagName: string;
  componentId?: string;
  attrs: TemplateAttr[];
  event: Record<string, { name: string; handler: string; isCatch: boolean }>;
}

export interface ExparserNode {
  is: string;
  id: string;
  class: string;
  classList?: unknown;
  style?: string;
  dataset?: Record<string, unknown>;
  parentNode: ExparserNode | null;
  childNodes: ExparserNode[];
  shadowRoot?: ExparserNode;
  ownerShadowRoot?: ExparserNode | null;
  __wxSlotChildren?: ExparserNode[];
  __slotName?: string;
  __virtual?: boolean;
  _vt?: VirtualTree;
  textContent?: string;
  triggerEvent(name: string, detail?: unknown, options?: EventOptions): void;
  triggerLifeTime(name: string, args?: unknown[]): void;
  triggerPageLifeTime(name: string, args?: unknown[]): void;
  getHostNode?(): ExparserNode;
  hasBehavior?(behavior: unknown): boolean;
  [key: string]: unknown;
}

export interface EventOptions {
  bubbles?: boolean;
  composed?: boolean;
  capturePhase?: boolean;
  extraFields?: Record<string, unknown>;
}

/** The method caller: `this` inside Page/Component code. */
export interface MethodCaller {
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>, callback?: () => void): void;
  [key: string]: unknown;
}

export interface Exparser {
  Element: {
    pretendAttached(node: ExparserNode): void;
    pretendDetached(node: ExparserNode): void;
    getMethodCaller(node: ExparserNode): MethodCaller;
    isAttached(node: ExparserNode): boolean;
  };
  Component: {
    listPublicProperties(node: ExparserNode): string[];
    hasPublicProperty(node: ExparserNode, name: string): boolean;
    getDataProxy(node: ExparserNode): {
      scheduleReplace(path: string[], value: unknown): void;
      doUpdates(sync: boolean): void;
    };
  };
  Event: {
    create(name: string, detail: unknown, options: EventOptions): unknown;
    dispatchEvent(target: ExparserNode, event: unknown): void;
  };
  TextNode: new () => ExparserNode;
  VirtualNode: new () => ExparserNode;
  ShadowRoot: new () => ExparserNode;
  Component_: unknown;
  registerBehavior(def: Record<string, unknown>): unknown;
  createElement(tagName: string, def: unknown): ExparserNode;
  addGlobalErrorListener(fn: (error: unknown, info: { message?: string }) => unknown): void;
  addGlobalWarningListener(fn: (message: string) => unknown): void;
}

export interface ComponentManager {
  id: string;
  exparserDef: unknown;
}

export interface JComponent {
  register(definition: Record<string, unknown>): string;
  behavior(definition: Record<string, unknown>): string;
}
