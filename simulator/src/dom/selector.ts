import type { ExparserNode } from '../runtime/exparser-types';
import type { TreeView } from './tree';

interface AttributeTest {
  name: string;
  /** undefined: presence only. */
  value?: string;
  operator?: '=' | '~=' | '^=' | '$=' | '*=';
}

/** `:first-child`, `:last-child`, `:nth-child(n|odd|even)` (n from 1). */
type PositionTest = { kind: 'first' | 'last' } | { kind: 'nth'; n: number | 'odd' | 'even' };

interface Compound {
  tag?: string;
  id?: string;
  classes: string[];
  attributes: AttributeTest[];
  positions?: PositionTest[];
}

interface Step {
  compound: Compound;
  /** How this step relates to the previous (left) one. */
  combinator: ' ' | '>' | null;
}

/** A parsed selector list: `a b > c, .x[y="z"]`. */
export type SelectorList = Step[][];

const TOKEN =
  /\s*(>|,)\s*|\s+|([a-zA-Z][\w-]*|\*)|#([\w-]+)|\.([\w-]+)|\[\s*([\w:-]+)\s*(?:([~^$*]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+)))?\s*\]|:(first-child|last-child|nth-child\(\s*(\d+|odd|even)\s*\))/y;

export function parseSelector(selector: string): SelectorList {
  if (typeof selector !== 'string' || selector.trim() === '') {
    throw new Error('selector must be a non-empty string');
  }
  const source = selector.trim();
  const list: SelectorList = [];
  let steps: Step[] = [];
  let compound: Compound | null = null;
  let pending: ' ' | '>' | null = null;
  const finishCompound = (): void => {
    if (!compound) return;
    steps.push({ compound, combinator: steps.length === 0 ? null : (pending ?? ' ') });
    compound = null;
    pending = null;
  };
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match || match.index !== start) {
      throw new Error(`unsupported selector "${selector}" at "${source.slice(start)}"`);
    }
    const [whole, combinator, tag, id, cls, attrName, op, v1, v2, v3, pseudo, nth] = match;
    if (combinator === ',') {
      finishCompound();
      if (steps.length === 0) throw new Error(`empty part in selector "${selector}"`);
      list.push(steps);
      steps = [];
      continue;
    }
    if (combinator === '>' || (whole.trim() === '' && whole.length > 0)) {
      if (compound) finishCompound();
      if (combinator === '>') {
        if (steps.length === 0) throw new Error(`selector "${selector}" starts with ">"`);
        pending = '>';
      } else if (pending !== '>') pending = ' ';
      continue;
    }
    compound ??= { classes: [], attributes: [] };
    if (tag) compound.tag = tag;
    else if (id) compound.id = id;
    else if (cls) compound.classes.push(cls);
    else if (pseudo) {
      compound.positions ??= [];
      if (pseudo === 'first-child') compound.positions.push({ kind: 'first' });
      else if (pseudo === 'last-child') compound.positions.push({ kind: 'last' });
      else {
        const n = nth === 'odd' || nth === 'even' ? nth : Number(nth);
        if (n === 0) throw new Error(`selector "${selector}": nth-child counts from 1`);
        compound.positions.push({ kind: 'nth', n });
      }
    } else if (attrName) {
      compound.attributes.push({
        name: attrName,
        operator: op as AttributeTest['operator'],
        value: op ? (v1 ?? v2 ?? v3) : undefined,
      });
    }
  }
  finishCompound();
  if (steps.length === 0) throw new Error(`selector "${selector}" is incomplete`);
  list.push(steps);
  return list;
}

/** Matches parsed selectors against the elements of one shadow tree. */
export class SelectorEngine {
  constructor(private readonly tree: TreeView) {}

  /** Elements below `scope` (one shadow tree) that match, in document order. */
  querySelectorAll(scope: ExparserNode, selector: string): ExparserNode[] {
    const list = parseSelector(selector);
    return this.tree
      .shadowTreeElements(scope)
      .filter((node) =>
        list.some((steps) => this.matchesSteps(node, steps, steps.length - 1, scope)),
      );
  }

  private matchesSteps(
    node: ExparserNode,
    steps: Step[],
    index: number,
    scope: ExparserNode,
  ): boolean {
    const step = steps[index];
    if (!this.matchesCompound(node, step.compound)) return false;
    if (index === 0) return true;
    if (step.combinator === '>') {
      const parent = this.parentWithin(node, scope);
      return parent !== null && this.matchesSteps(parent, steps, index - 1, scope);
    }
    for (
      let parent = this.parentWithin(node, scope);
      parent;
      parent = this.parentWithin(parent, scope)
    ) {
      if (this.matchesSteps(parent, steps, index - 1, scope)) return true;
    }
    return false;
  }

  private parentWithin(node: ExparserNode, scope: ExparserNode): ExparserNode | null {
    const parent = this.tree.parentElement(node);
    if (!parent || parent === scope || !this.tree.isElement(parent)) return null;
    return parent;
  }

  private matchesCompound(node: ExparserNode, compound: Compound): boolean {
    if (compound.tag && compound.tag !== '*' && this.tree.tagName(node) !== compound.tag)
      return false;
    if (compound.id && node.id !== compound.id) return false;
    if (compound.classes.length) {
      const classes = this.tree.classes(node);
      if (!compound.classes.every((cls) => classes.includes(cls))) return false;
    }
    for (const test of compound.positions ?? []) {
      const siblings = this.tree.siblingElements(node);
      const index = siblings.indexOf(node) + 1;
      if (test.kind === 'first' && index !== 1) return false;
      if (test.kind === 'last' && index !== siblings.length) return false;
      if (test.kind === 'nth') {
        if (test.n === 'odd' && index % 2 !== 1) return false;
        if (test.n === 'even' && index % 2 !== 0) return false;
        if (typeof test.n === 'number' && index !== test.n) return false;
      }
    }
    for (const test of compound.attributes) {
      const value = this.tree.attribute(node, test.name);
      if (value === null) return false;
      if (test.value === undefined) continue;
      const expected = test.value;
      switch (test.operator) {
        case '=':
          if (value !== expected) return false;
          break;
        case '~=':
          if (!value.split(/\s+/).includes(expected)) return false;
          break;
        case '^=':
          if (!value.startsWith(expected)) return false;
          break;
        case '$=':
          if (!value.endsWith(expected)) return false;
          break;
        case '*=':
          if (!value.includes(expected)) return false;
          break;
      }
    }
    return true;
  }
}
