import type { ExparserNode } from '../runtime/exparser-types';

/** Stable protocol ids for exparser nodes: the same node always gets the same id. */
export class ElementRegistry {
  private readonly ids = new WeakMap<ExparserNode, string>();
  private readonly nodes = new Map<string, { node: ExparserNode; pageId: number }>();
  private next = 1;

  idOf(node: ExparserNode, pageId: number): string {
    let id = this.ids.get(node);
    if (!id) {
      id = `e${this.next++}`;
      this.ids.set(node, id);
      this.nodes.set(id, { node, pageId });
    }
    return id;
  }

  get(elementId: unknown): { node: ExparserNode; pageId: number } {
    const entry = typeof elementId === 'string' ? this.nodes.get(elementId) : undefined;
    if (!entry) throw new Error(`element ${String(elementId)} not found`);
    return entry;
  }

  /** Forget the elements of a page that was unloaded. */
  forgetPage(pageId: number): void {
    for (const [id, entry] of this.nodes) if (entry.pageId === pageId) this.nodes.delete(id);
  }
}
