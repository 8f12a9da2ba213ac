import type { ExparserNode, JComponent } from '../runtime/exparser-types';
import type { Sandbox } from '../sandbox/sandbox';

/** Type names, turned into the sandbox realm's constructors when registering. */
type PropertyType = 'String' | 'Number' | 'Boolean' | null;
type PropertySpec = { type: PropertyType; value?: unknown };

const S = (value = ''): PropertySpec => ({ type: 'String', value });
const N = (value = 0): PropertySpec => ({ type: 'Number', value });
const B = (value = false): PropertySpec => ({ type: 'Boolean', value });
const ANY = (value: unknown = null): PropertySpec => ({ type: null, value });

/**
 * WeChat's built-in components with the public properties whose state the runtime reads or
 * changes (input values, switch checked, swiper current...). Other attributes stay on the
 * template node and are still visible through Element.getAttributes.
 */
export const BUILTIN_PROPERTIES: Record<string, Record<string, PropertySpec>> = {
  view: { hoverClass: S('none') },
  text: { selectable: B(), userSelect: B(), space: S(), decode: B() },
  'rich-text': { nodes: ANY([]) },
  icon: { type: S(), size: N(23), color: S() },
  progress: { percent: N(), showInfo: B() },
  button: {
    type: S('default'),
    size: S('default'),
    plain: B(),
    disabled: B(),
    loading: B(),
    formType: S(),
    openType: S(),
    hoverClass: S('button-hover'),
  },
  form: { reportSubmit: B() },
  input: {
    value: S(),
    type: S('text'),
    password: B(),
    placeholder: S(),
    disabled: B(),
    maxlength: N(140),
    focus: B(),
    confirmType: S('done'),
    name: S(),
  },
  textarea: {
    value: S(),
    placeholder: S(),
    disabled: B(),
    maxlength: N(140),
    focus: B(),
    autoHeight: B(),
    name: S(),
    confirmType: S('return'),
  },
  switch: { checked: B(), disabled: B(), type: S('switch'), color: S(), name: S() },
  checkbox: { value: S(), checked: B(), disabled: B(), color: S() },
  'checkbox-group': { name: S() },
  radio: { value: S(), checked: B(), disabled: B(), color: S() },
  'radio-group': { name: S() },
  slider: {
    value: N(),
    min: N(0),
    max: N(100),
    step: N(1),
    disabled: B(),
    showValue: B(),
    name: S(),
  },
  picker: {
    mode: S('selector'),
    value: ANY(0),
    range: ANY([]),
    rangeKey: S(),
    disabled: B(),
    start: S(),
    end: S(),
    fields: S('day'),
    name: S(),
  },
  'picker-view': { value: ANY([]) },
  'picker-view-column': {},
  label: { for: S() },
  'scroll-view': {
    scrollX: B(),
    scrollY: B(),
    scrollTop: ANY(),
    scrollLeft: ANY(),
    upperThreshold: N(50),
    lowerThreshold: N(50),
    scrollIntoView: S(),
    enhanced: B(),
    refresherEnabled: B(),
    refresherTriggered: B(),
    scrollWithAnimation: B(),
  },
  swiper: {
    current: N(0),
    currentItemId: S(),
    autoplay: B(),
    interval: N(5000),
    duration: N(500),
    circular: B(),
    vertical: B(),
    indicatorDots: B(),
  },
  'swiper-item': { itemId: S() },
  'movable-area': { scaleArea: B() },
  'movable-view': { x: N(), y: N(), direction: S('none'), disabled: B() },
  image: { src: S(), mode: S('scaleToFill'), lazyLoad: B(), webp: B(), showMenuByLongpress: B() },
  video: { src: S(), autoplay: B(), loop: B(), muted: B(), controls: B(true) },
  audio: { src: S() },
  navigator: {
    url: S(),
    openType: S('navigate'),
    delta: N(1),
    target: S('self'),
    hoverClass: S('navigator-hover'),
  },
  canvas: { type: S(), canvasId: S() },
  map: { longitude: N(), latitude: N(), scale: N(16) },
  'web-view': { src: S() },
  camera: {},
  'cover-view': {},
  'cover-image': { src: S() },
  'open-data': { type: S() },
  ad: {},
  'official-account': {},
  'page-meta': {},
  'navigation-bar': { title: S() },
  'root-portal': {},
  'page-container': { show: B() },
  'match-media': {},
  'grid-view': {},
  'list-view': {},
  'sticky-header': {},
  'sticky-section': {},
  editor: {},
  'keyboard-accessory': {},
  'functional-page-navigator': {},
  'live-player': {},
  'live-pusher': {},
  'share-element': {},
};

export function isBuiltinTag(tagName: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILTIN_PROPERTIES, tagName);
}

/** Registers every built-in as a j-component component whose template is just its slot. */
/** Late-bound reactions of built-ins to property changes. */
export interface BuiltinHooks {
  imageSourceChanged?(node: ExparserNode, src: unknown): void;
}

export function registerBuiltinComponents(
  jc: JComponent,
  sandbox: Sandbox,
  hooks: BuiltinHooks,
): void {
  for (const [name, specs] of Object.entries(BUILTIN_PROPERTIES)) {
    const properties: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(specs)) {
      properties[key] = {
        type: spec.type === null ? null : sandbox.evaluate(spec.type),
        value: sandbox.copyIn(spec.value),
      };
    }
    if (name === 'image') {
      (properties.src as Record<string, unknown>).observer = function (
        this: { _exparserNode: ExparserNode },
        value: unknown,
      ) {
        hooks.imageSourceChanged?.(this._exparserNode, value);
      };
    }
    jc.register({
      id: name,
      tagName: `wx-${name}`,
      template: '<slot/>',
      properties,
      options: { multipleSlots: false },
    });
  }
}
