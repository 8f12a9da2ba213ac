import type { Exparser, ExparserNode } from '../runtime/exparser-types';
import { isBuiltinTag } from '../builtins/builtin-components';

/**
 * Read-only views of exparser's trees. Two trees matter:
 * - a shadow tree (what one template rendered, with slotted light children), used by selectors;
 * - the composed tree (`__wxSlotChildren`: shadow content with slots filled), used for text,
 *   WXML and hit-testing, because tdesign components are virtual hosts without a node of their own.
 */
export class TreeView {
  constructor(private readonly exparser: Exparser) {}

  isText(node: ExparserNode): boolean {
    return node instanceof (this.exparser.TextNode as unknown as new () => ExparserNode);
  }

  /** Shadow roots, slots, blocks, wx:if/wx:for wrappers (not virtual-host components). */
  isVirtual(node: ExparserNode): boolean {
    return node instanceof (this.exparser.VirtualNode as unknown as new () => ExparserNode);
  }

  isElement(node: ExparserNode): boolean {
    return !this.isText(node) && !this.isVirtual(node);
  }

  tagName(node: ExparserNode): string {
    return node._vt?.tagName ?? node.is;
  }

  /** A page or custom component (not a built-in like view/input). */
  isCustomComponent(node: ExparserNode): boolean {
    if (!this.isElement(node) || !node.shadowRoot) return false;
    const componentId = node._vt?.componentId ?? node.is;
    return !isBuiltinTag(componentId);
  }

  composedChildren(node: ExparserNode): ExparserNode[] {
    return node.__wxSlotChildren ?? [];
  }

  /** Elements of one shadow tree below `root`, document order, not entering other shadow trees. */
  shadowTreeElements(root: ExparserNode): ExparserNode[] {
    const out: ExparserNode[] = [];
    const walk = (node: ExparserNode): void => {
      for (const child of node.childNodes ?? []) {
        if (this.isText(child)) continue;
        if (this.isElement(child)) out.push(child);
        walk(child);
      }
    };
    walk(root);
    return out;
  }

  /** The nearest element ancestor in the same shadow tree (skipping blocks), or null. */
  parentElement(node: ExparserNode): ExparserNode | null {
    let parent = node.parentNode;
    while (parent && this.isVirtual(parent)) parent = parent.parentNode;
    return parent;
  }

  /**
   * The element siblings of `node` (itself included) as the page's DOM has them: wx:if/wx:for
   * wrappers and blocks are transparent.
   */
  siblingElements(node: ExparserNode): ExparserNode[] {
    let container = node.parentNode;
    while (container && this.isVirtual(container) && container.parentNode) {
      container = container.parentNode;
    }
    if (!container) return [node];
    const out: ExparserNode[] = [];
    const collect = (parent: ExparserNode): void => {
      for (const child of parent.childNodes ?? []) {
        if (this.isElement(child)) out.push(child);
        else if (this.isVirtual(child)) collect(child);
      }
    };
    collect(container);
    return out;
  }

  /** Every element of the composed tree below `node` (including it), document order. */
  composedElements(node: ExparserNode): ExparserNode[] {
    const out: ExparserNode[] = [];
    const walk = (current: ExparserNode): void => {
      if (this.isText(current)) return;
      if (this.isElement(current)) out.push(current);
      for (const child of this.composedChildren(current)) walk(child);
    };
    walk(node);
    return out;
  }

  /** Every component node of every shadow tree below `node` (for lifetimes like ready). */
  allComponents(node: ExparserNode): ExparserNode[] {
    const out: ExparserNode[] = [];
    const walk = (current: ExparserNode): void => {
      if (this.isText(current)) return;
      if (current.shadowRoot) walk(current.shadowRoot);
      for (const child of current.childNodes ?? []) walk(child);
      if (this.isElement(current) && current.shadowRoot) out.push(current);
    };
    walk(node);
    return out;
  }

  /** The class list of an element. */
  classes(node: ExparserNode): string[] {
    if (!this.isElement(node)) return [];
    try {
      return String(node.class ?? '')
        .split(/\s+/)
        .filter(Boolean);
    } catch {
      return [];
    }
  }

  /** The raw template attribute (as written in WXML after data binding), or undefined. */
  templateAttribute(node: ExparserNode, name: string): unknown {
    const attrs = node._vt?.attrs ?? [];
    for (const attr of attrs) if (attr.name === name) return attr.value;
    return undefined;
  }

  /** A DOM-like attribute: id, class, style, data-*, or the raw template attribute. */
  attribute(node: ExparserNode, name: string): string | null {
    if (name === 'id') return node.id || this.stringOrNull(this.templateAttribute(node, 'id'));
    if (name === 'class')
      return (
        this.classes(node).join(' ') || this.stringOrNull(this.templateAttribute(node, 'class'))
      );
    const raw = this.templateAttribute(node, name);
    if (raw !== undefined) return this.stringOrNull(raw);
    if (name.startsWith('data-')) {
      const key = name.slice(5).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
      const value = node.dataset?.[key];
      return value === undefined ? null : this.stringOrNull(value);
    }
    const camel = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (this.isElement(node) && this.exparser.Component.hasPublicProperty(node, camel)) {
      return this.stringOrNull(this.property(node, camel));
    }
    return null;
  }

  property(node: ExparserNode, name: string): unknown {
    const caller = this.exparser.Element.getMethodCaller(node);
    return caller?.data?.[name];
  }

  publicProperties(node: ExparserNode): string[] {
    if (!this.isElement(node)) return [];
    return this.exparser.Component.listPublicProperties(node);
  }

  private stringOrNull(value: unknown): string | null {
    if (value === undefined || value === null) return null;
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
