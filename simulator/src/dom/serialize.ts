import type { ExparserNode } from '../runtime/exparser-types';
import type { TreeView } from './tree';

const SKIPPED_ATTRIBUTES = new Set(['id', 'class', 'style', 'slot']);

/** Text and WXML of the composed tree (what is on screen), not of one shadow tree. */
export class Serializer {
  constructor(private readonly tree: TreeView) {}

  text(node: ExparserNode): string {
    const parts: string[] = [];
    const walk = (current: ExparserNode): void => {
      if (this.tree.isText(current)) {
        parts.push(String(current.textContent ?? ''));
        return;
      }
      for (const child of this.tree.composedChildren(current)) walk(child);
    };
    walk(node);
    return parts
      .join('')
      .replace(/[ \t\r\n]+/g, ' ')
      .trim();
  }

  innerWxml(node: ExparserNode): string {
    return this.tree
      .composedChildren(node)
      .map((child) => this.outer(child))
      .join('');
  }

  outerWxml(node: ExparserNode): string {
    return this.outer(node);
  }

  private outer(node: ExparserNode): string {
    if (this.tree.isText(node)) return escapeText(String(node.textContent ?? ''));
    if (this.tree.isVirtual(node)) return this.innerWxml(node);
    const tag = this.tree.tagName(node);
    let attributes = '';
    if (node.id) attributes += ` id="${escapeAttribute(node.id)}"`;
    const classes = this.tree.classes(node).join(' ');
    if (classes) attributes += ` class="${escapeAttribute(classes)}"`;
    for (const attr of node._vt?.attrs ?? []) {
      if (SKIPPED_ATTRIBUTES.has(attr.name)) continue;
      const value = attr.value;
      if (value === undefined || value === null || value === false) continue;
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
      attributes += ` ${attr.name}="${escapeAttribute(text)}"`;
    }
    const style = this.tree.templateAttribute(node, 'style');
    if (typeof style === 'string' && style) attributes += ` style="${escapeAttribute(style)}"`;
    return `<${tag}${attributes}>${this.innerWxml(node)}</${tag}>`;
  }
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
