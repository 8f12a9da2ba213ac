import type { Exparser, ExparserNode } from '../runtime/exparser-types';
import type { TreeView } from './tree';

export interface TouchPoint {
  identifier: number;
  pageX: number;
  pageY: number;
  clientX: number;
  clientY: number;
  force: number;
}

const LONGPRESS_MS = 350;
const MOVE_TOLERANCE = 10;

/**
 * Touches as a finger makes them: the target is the innermost element under the finger (through
 * custom components, which in tdesign are virtual hosts with `catch:tap` inside), events bubble
 * and cross shadow boundaries, a touchstart+touchend without moving is a tap, a hold is a longpress.
 */
export class Gestures {
  private active: {
    target: ExparserNode;
    x: number;
    y: number;
    moved: boolean;
    longpressed: boolean;
    timer: NodeJS.Timeout | null;
  } | null = null;

  constructor(
    private readonly exparser: Exparser,
    private readonly tree: TreeView,
    /** Whether a tap on this target is swallowed (disabled built-in). */
    private readonly isDisabled: (target: ExparserNode) => boolean,
    /** Built-in default action after a tap. */
    private readonly afterTap: (target: ExparserNode) => void,
    /** Copies event payloads into the app's realm (handlers must not get Node objects). */
    private readonly adopt: <T>(value: T) => T,
  ) {}

  /** The innermost element a finger on `node` touches first. */
  hitTarget(node: ExparserNode): ExparserNode {
    let current = node;
    for (;;) {
      if (this.tree.isElement(current) && !this.tree.isCustomComponent(current)) return current;
      const next = this.tree
        .composedChildren(current)
        .find((child) => !this.tree.isText(child) && this.hasElement(child));
      if (!next) return current;
      current = next;
    }
  }

  tap(node: ExparserNode): void {
    const target = this.hitTarget(node);
    const touch = [point(0, 0)];
    this.dispatch(target, 'touchstart', {}, touch, touch);
    this.dispatch(target, 'touchend', {}, [], touch);
    this.finishTap(target, 0, 0);
  }

  touchstart(node: ExparserNode, touches: unknown, changedTouches: unknown): void {
    const target = this.hitTarget(node);
    const list = toTouches(touches, [point(0, 0)]);
    const changed = toTouches(changedTouches, list);
    this.cancelActive();
    const first = list[0] ?? point(0, 0);
    const active = {
      target,
      x: first.pageX,
      y: first.pageY,
      moved: false,
      longpressed: false,
      timer: null as NodeJS.Timeout | null,
    };
    active.timer = setTimeout(() => {
      active.timer = null;
      if (this.active !== active || active.moved) return;
      active.longpressed = true;
      this.dispatch(target, 'longpress', { x: active.x, y: active.y }, list, changed);
      this.dispatch(target, 'longtap', { x: active.x, y: active.y }, list, changed);
    }, LONGPRESS_MS);
    this.active = active;
    this.dispatch(target, 'touchstart', {}, list, changed);
  }

  touchmove(node: ExparserNode, touches: unknown, changedTouches: unknown): void {
    const target = this.active?.target ?? this.hitTarget(node);
    const list = toTouches(touches, [point(0, 0)]);
    const changed = toTouches(changedTouches, list);
    const first = list[0];
    if (this.active && first) {
      if (
        Math.abs(first.pageX - this.active.x) >= MOVE_TOLERANCE ||
        Math.abs(first.pageY - this.active.y) >= MOVE_TOLERANCE
      ) {
        this.active.moved = true;
      }
    }
    this.dispatch(target, 'touchmove', {}, list, changed);
  }

  touchend(node: ExparserNode, touches: unknown, changedTouches: unknown): void {
    const active = this.active;
    const target = active?.target ?? this.hitTarget(node);
    const changed = toTouches(changedTouches, [point(active?.x ?? 0, active?.y ?? 0)]);
    this.dispatch(target, 'touchend', {}, toTouches(touches, []), changed);
    this.cancelActive();
    if (active && !active.moved && !active.longpressed) this.finishTap(target, active.x, active.y);
  }

  /** Any event, bubbling and composed (Element.dispatchEvent). */
  dispatch(
    target: ExparserNode,
    name: string,
    detail: unknown,
    touches: TouchPoint[] = [],
    changedTouches: TouchPoint[] = [],
  ): void {
    const event = this.exparser.Event.create(name, this.adopt(detail), {
      bubbles: true,
      composed: true,
      capturePhase: true,
      extraFields: this.adopt({ touches, changedTouches }),
    });
    this.exparser.Event.dispatchEvent(target, event);
  }

  dispose(): void {
    this.cancelActive();
  }

  private finishTap(target: ExparserNode, x: number, y: number): void {
    if (this.isDisabled(target)) return;
    this.dispatch(target, 'tap', { x, y }, [], [point(x, y)]);
    this.afterTap(target);
  }

  private cancelActive(): void {
    if (this.active?.timer) clearTimeout(this.active.timer);
    this.active = null;
  }

  private hasElement(node: ExparserNode): boolean {
    if (this.tree.isElement(node)) return true;
    return this.tree
      .composedChildren(node)
      .some((child) => !this.tree.isText(child) && this.hasElement(child));
  }
}

function point(x: number, y: number, identifier = 0): TouchPoint {
  return { identifier, pageX: x, pageY: y, clientX: x, clientY: y, force: 1 };
}

function toTouches(value: unknown, fallback: TouchPoint[]): TouchPoint[] {
  if (!Array.isArray(value)) return fallback;
  return value.map((item, index) => {
    const touch = (item ?? {}) as Record<string, unknown>;
    const x = Number(touch.pageX ?? touch.clientX ?? touch.x ?? 0) || 0;
    const y = Number(touch.pageY ?? touch.clientY ?? touch.y ?? 0) || 0;
    return point(x, y, Number(touch.identifier ?? index) || index);
  });
}
