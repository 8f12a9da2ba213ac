import path from 'path';
import type { TreeView } from '../dom/tree';
import type { ExparserNode } from '../runtime/exparser-types';
import { probeImage } from './image-probe';

/** What built-in component behaviour needs from the runtime. */
export interface BuiltinContext {
  tree: TreeView;
  root: string;
  /** Set a public property of a (built-in) component, as the component itself would. */
  setProperty(node: ExparserNode, name: string, value: unknown): void;
  /** Fire a component event (non-bubbling, as built-ins do) with a detail. */
  fire(node: ExparserNode, name: string, detail: Record<string, unknown>): void;
  navigate(openType: string, url: string, delta: number): void;
  /** A tap on `<button open-type="agreePrivacyAuthorization">`: the user agrees (button id). */
  agreePrivacy(buttonId: string): void;
  /** The real file of a wx path (http://tmp/..., wxfile://...), or null. */
  resolveWxPath(src: string): string | null;
  report(error: unknown): void;
}

/**
 * What WeChat's built-in components do on their own: form submit/reset, input focus/blur,
 * switch/checkbox/radio toggles with their change events, navigator routing, scroll-view and
 * swiper events, image load/error.
 */
export class BuiltinBehaviour {
  private focused: ExparserNode | null = null;
  private readonly scroll = new WeakMap<ExparserNode, { top: number; left: number }>();

  constructor(private readonly ctx: BuiltinContext) {}

  /** After a tap reached `target`: the default action of the nearest built-in(s). */
  afterTap(target: ExparserNode): void {
    const tree = this.ctx.tree;
    const chain = this.ancestors(target);
    const focusable = chain.find((node) => ['input', 'textarea'].includes(tree.tagName(node)));
    if (this.focused && this.focused !== focusable) this.blur();
    if (focusable && !this.prop(focusable, 'disabled')) this.focus(focusable);

    for (const node of chain) {
      const tag = tree.tagName(node);
      if (tag === 'button') {
        const type = String(this.prop(node, 'formType') ?? '');
        const active = !this.prop(node, 'disabled') && !this.prop(node, 'loading');
        if (active && this.prop(node, 'openType') === 'agreePrivacyAuthorization') {
          // WeChat records the agreement first, then tells the page (bindagreeprivacyauthorization).
          this.ctx.agreePrivacy(tree.attribute(node, 'id') ?? '');
          this.ctx.fire(node, 'agreeprivacyauthorization', {});
        }
        if (active && (type === 'submit' || type === 'reset')) {
          const form = this.ancestors(node).find((item) => tree.tagName(item) === 'form');
          if (form && type === 'submit') this.submit(form);
          else if (form) this.reset(form);
        }
        return;
      }
      if (tag === 'label') return this.activateLabel(node);
      if (tag === 'switch') return this.toggleSwitch(node);
      if (tag === 'checkbox') return this.toggleCheckbox(node);
      if (tag === 'radio') return this.selectRadio(node);
      if (tag === 'navigator') {
        this.ctx.navigate(
          String(this.prop(node, 'openType') || 'navigate'),
          String(this.prop(node, 'url') ?? ''),
          Number(this.prop(node, 'delta') ?? 1) || 1,
        );
        return;
      }
    }
  }

  /** Whether a tap on `target` is swallowed (a disabled button). */
  isDisabled(target: ExparserNode): boolean {
    const tree = this.ctx.tree;
    for (const node of this.ancestors(target)) {
      const tag = tree.tagName(node);
      if (
        ['button', 'switch', 'checkbox', 'radio', 'input', 'textarea', 'slider', 'picker'].includes(
          tag,
        )
      ) {
        return Boolean(this.prop(node, 'disabled'));
      }
    }
    return false;
  }

  focus(node: ExparserNode): void {
    if (this.focused === node) return;
    if (this.focused) this.blur();
    this.focused = node;
    this.ctx.fire(node, 'focus', { value: String(this.prop(node, 'value') ?? ''), height: 0 });
  }

  blur(): void {
    const node = this.focused;
    this.focused = null;
    if (node)
      this.ctx.fire(node, 'blur', { value: String(this.prop(node, 'value') ?? ''), cursor: 0 });
  }

  /** Typing into input/textarea (Element.callFunction input.input / textarea.input). */
  input(node: ExparserNode, value: unknown): void {
    const tag = this.ctx.tree.tagName(node);
    if (tag !== 'input' && tag !== 'textarea')
      throw new Error(`${tag} is not an input or textarea`);
    if (this.prop(node, 'disabled')) throw new Error(`${tag} is disabled`);
    const max = Number(this.prop(node, 'maxlength'));
    let text = String(value ?? '');
    if (Number.isFinite(max) && max >= 0) text = text.slice(0, max);
    this.focus(node);
    this.ctx.setProperty(node, 'value', text);
    this.ctx.fire(node, 'input', { value: text, cursor: text.length, keyCode: 0 });
  }

  /** The keyboard's confirm key on the focused input. */
  confirm(node: ExparserNode): void {
    this.ctx.fire(node, 'confirm', { value: String(this.prop(node, 'value') ?? '') });
  }

  scrollTo(node: ExparserNode, x: unknown, y: unknown): void {
    this.expect(node, 'scroll-view');
    const previous = this.scroll.get(node) ?? { top: 0, left: 0 };
    const left = typeof x === 'number' && Number.isFinite(x) ? Math.max(0, x) : previous.left;
    const top = typeof y === 'number' && Number.isFinite(y) ? Math.max(0, y) : previous.top;
    this.scroll.set(node, { top, left });
    this.ctx.fire(node, 'scroll', {
      scrollLeft: left,
      scrollTop: top,
      scrollHeight: 0,
      scrollWidth: 0,
      deltaX: previous.left - left,
      deltaY: previous.top - top,
    });
    // No layout, so no content height: a scroll that moves down is taken to reach the end.
    if (top > previous.top || left > previous.left) {
      this.ctx.fire(node, 'scrolltolower', { direction: top > previous.top ? 'bottom' : 'right' });
    }
    const upper = Number(this.prop(node, 'upperThreshold') ?? 50);
    if ((top < previous.top && top <= upper) || (left < previous.left && left <= upper)) {
      this.ctx.fire(node, 'scrolltoupper', { direction: top < previous.top ? 'top' : 'left' });
    }
  }

  scrollOffset(node: ExparserNode): { top: number; left: number } {
    this.expect(node, 'scroll-view');
    return this.scroll.get(node) ?? { top: 0, left: 0 };
  }

  swipeTo(node: ExparserNode, index: unknown): void {
    this.expect(node, 'swiper');
    const items = this.ctx.tree
      .shadowTreeElements(node)
      .filter((child) => this.ctx.tree.tagName(child) === 'swiper-item');
    const current = Number(index);
    if (!Number.isInteger(current) || current < 0 || current >= items.length) {
      throw new Error(`swiper has ${items.length} items; index ${String(index)} is out of range`);
    }
    this.ctx.setProperty(node, 'current', current);
    const currentItemId = String(this.prop(items[current], 'itemId') ?? '');
    this.ctx.fire(node, 'change', { current, currentItemId, source: 'touch' });
    this.ctx.fire(node, 'animationfinish', { current, currentItemId, source: 'touch' });
  }

  moveTo(node: ExparserNode, x: unknown, y: unknown): void {
    this.expect(node, 'movable-view');
    const nx = Number(x) || 0;
    const ny = Number(y) || 0;
    (node as Record<string, unknown>)._translateX = nx;
    (node as Record<string, unknown>)._translateY = ny;
    this.ctx.setProperty(node, 'x', nx);
    this.ctx.setProperty(node, 'y', ny);
    this.ctx.fire(node, 'change', { x: nx, y: ny, source: 'touch' });
  }

  toggleSwitch(node: ExparserNode): void {
    this.expect(node, 'switch');
    if (this.prop(node, 'disabled')) return;
    const checked = !this.prop(node, 'checked');
    this.ctx.setProperty(node, 'checked', checked);
    this.ctx.fire(node, 'change', { value: checked });
  }

  slideTo(node: ExparserNode, value: unknown): void {
    this.expect(node, 'slider');
    if (this.prop(node, 'disabled')) throw new Error('slider is disabled');
    const min = Number(this.prop(node, 'min') ?? 0);
    const max = Number(this.prop(node, 'max') ?? 100);
    const number = Math.min(max, Math.max(min, Number(value)));
    if (!Number.isFinite(number)) throw new Error('slider value must be a number');
    this.ctx.setProperty(node, 'value', number);
    this.ctx.fire(node, 'changing', { value: number });
    this.ctx.fire(node, 'change', { value: number });
  }

  /** image src changed: load it (local file, wx temp path or http) and fire load/error. */
  imageSourceChanged(node: ExparserNode, src: unknown): void {
    if (typeof src !== 'string' || src === '') return;
    const wxFile = this.ctx.resolveWxPath(src);
    const source = wxFile
      ? { file: wxFile }
      : /^https?:\/\//.test(src)
        ? { url: src }
        : { file: path.join(this.ctx.root, src.replace(/^\/+/, '')) };
    probeImage(source).then(
      (size) => this.ctx.fire(node, 'load', { width: size.width, height: size.height }),
      () => this.ctx.fire(node, 'error', { errMsg: `GET ${src} 404 (Not Found)` }),
    );
  }

  /** A tapped label acts on its `for` target, else on the first control inside it. */
  private activateLabel(label: ExparserNode): void {
    const tree = this.ctx.tree;
    const controls = ['checkbox', 'radio', 'switch', 'button'];
    const forId = tree.templateAttribute(label, 'for') ?? this.prop(label, 'for');
    let control: ExparserNode | undefined;
    if (typeof forId === 'string' && forId) {
      let root: ExparserNode = label;
      while (root.parentNode) root = root.parentNode;
      control = tree.shadowTreeElements(root).find((node) => node.id === forId);
    } else {
      control = tree
        .shadowTreeElements(label)
        .find((node) => controls.includes(tree.tagName(node)));
    }
    if (!control || !controls.includes(tree.tagName(control)) || this.isDisabled(control)) return;
    this.afterTap(control);
  }

  private toggleCheckbox(node: ExparserNode): void {
    if (this.prop(node, 'disabled')) return;
    this.ctx.setProperty(node, 'checked', !this.prop(node, 'checked'));
    const group = this.ancestors(node).find(
      (item) => this.ctx.tree.tagName(item) === 'checkbox-group',
    );
    if (group) this.ctx.fire(group, 'change', { value: this.checkboxValues(group) });
  }

  private selectRadio(node: ExparserNode): void {
    if (this.prop(node, 'disabled') || this.prop(node, 'checked')) return;
    const group = this.ancestors(node).find(
      (item) => this.ctx.tree.tagName(item) === 'radio-group',
    );
    if (group) {
      for (const radio of this.fields(group, 'radio'))
        if (radio !== node) this.ctx.setProperty(radio, 'checked', false);
    }
    this.ctx.setProperty(node, 'checked', true);
    if (group) this.ctx.fire(group, 'change', { value: String(this.prop(node, 'value') ?? '') });
  }

  private submit(form: ExparserNode): void {
    const value: Record<string, unknown> = {};
    const tree = this.ctx.tree;
    for (const node of tree.composedElements(form)) {
      const name = this.fieldName(node);
      if (!name) continue;
      const tag = tree.tagName(node);
      if (tag === 'input' || tag === 'textarea' || tag === 'slider' || tag === 'picker')
        value[name] = this.prop(node, 'value');
      else if (tag === 'switch') value[name] = Boolean(this.prop(node, 'checked'));
      else if (tag === 'checkbox-group') value[name] = this.checkboxValues(node);
      else if (tag === 'radio-group') {
        const checked = this.fields(node, 'radio').find((radio) => this.prop(radio, 'checked'));
        value[name] = checked ? String(this.prop(checked, 'value') ?? '') : '';
      } else if (tree.isCustomComponent(node) && tree.publicProperties(node).includes('value')) {
        value[name] = this.prop(node, 'value');
      }
    }
    this.ctx.fire(form, 'submit', {
      value,
      target: { id: form.id, dataset: { ...(form.dataset ?? {}) } },
    });
  }

  private reset(form: ExparserNode): void {
    const tree = this.ctx.tree;
    for (const node of tree.composedElements(form)) {
      const tag = tree.tagName(node);
      if (tag === 'input' || tag === 'textarea') this.ctx.setProperty(node, 'value', '');
      else if (tag === 'switch' || tag === 'checkbox' || tag === 'radio')
        this.ctx.setProperty(node, 'checked', false);
      else if (tag === 'slider')
        this.ctx.setProperty(node, 'value', Number(this.prop(node, 'min') ?? 0));
    }
    this.ctx.fire(form, 'reset', {});
  }

  private checkboxValues(group: ExparserNode): string[] {
    return this.fields(group, 'checkbox')
      .filter((box) => this.prop(box, 'checked'))
      .map((box) => String(this.prop(box, 'value') ?? ''));
  }

  private fields(root: ExparserNode, tag: string): ExparserNode[] {
    return this.ctx.tree
      .composedElements(root)
      .filter((node) => this.ctx.tree.tagName(node) === tag);
  }

  private fieldName(node: ExparserNode): string {
    const name = this.prop(node, 'name') ?? this.ctx.tree.templateAttribute(node, 'name');
    return typeof name === 'string' ? name : '';
  }

  /** The node and its ancestors, crossing from a shadow tree to its host. */
  private ancestors(node: ExparserNode): ExparserNode[] {
    const out: ExparserNode[] = [];
    let current: ExparserNode | null = node;
    while (current) {
      if (this.ctx.tree.isElement(current)) out.push(current);
      const parent: ExparserNode | null = current.parentNode;
      current = parent ?? (current.getHostNode ? current.getHostNode() : null);
    }
    return out;
  }

  private prop(node: ExparserNode, name: string): unknown {
    return this.ctx.tree.property(node, name);
  }

  private expect(node: ExparserNode, tag: string): void {
    const actual = this.ctx.tree.tagName(node);
    if (actual !== tag) throw new Error(`expected a ${tag} element, got ${actual}`);
  }
}
