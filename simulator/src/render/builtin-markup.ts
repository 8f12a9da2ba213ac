import { escapeAttr, escapeText } from './html';

/** WeChat's built-in components: rendered as `wx-<name>` elements, as WeChat's webview does. */
export const BUILTIN_TAGS = new Set([
  'view',
  'text',
  'image',
  'button',
  'input',
  'textarea',
  'scroll-view',
  'swiper',
  'swiper-item',
  'navigator',
  'icon',
  'rich-text',
  'progress',
  'checkbox',
  'checkbox-group',
  'radio',
  'radio-group',
  'switch',
  'slider',
  'picker',
  'picker-view',
  'picker-view-column',
  'form',
  'label',
  'canvas',
  'video',
  'map',
  'movable-area',
  'movable-view',
  'cover-view',
  'cover-image',
  'web-view',
  'editor',
  'camera',
  'live-player',
  'open-data',
  'ad',
  'page-container',
  'root-portal',
  'page-meta',
  'navigation-bar',
  'keyboard-accessory',
  'match-media',
  'share-element',
  'grid-view',
  'list-view',
  'sticky-header',
  'sticky-section',
]);

/** Reads a built-in component's property (camelCase or dashed name) from wherever it is kept. */
export type PropReader = (name: string) => unknown;

export function isTruthyProp(value: unknown): boolean {
  return (
    value === true || value === '' || value === 'true' || (typeof value === 'number' && value !== 0)
  );
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  return String(value);
}

/** What a built-in adds to its element: attributes (for base CSS selectors) and inner markup. */
export interface BuiltinMarkup {
  attributes: Record<string, string | undefined>;
  /** Markup placed before the composed children (the image's <img>, an input's value text...). */
  before: string;
  /** Markup placed after the composed children. */
  after: string;
  /** Inline style added to the element's own (e.g. a swiper item's position). */
  extraStyle?: string;
}

const BOOLEAN_ATTRS: Record<string, string[]> = {
  button: ['plain', 'disabled', 'loading'],
  input: ['disabled', 'password'],
  textarea: ['disabled'],
  'scroll-view': ['scroll-x', 'scroll-y'],
  checkbox: ['checked', 'disabled'],
  radio: ['checked', 'disabled'],
  switch: ['checked', 'disabled'],
  swiper: ['indicator-dots', 'vertical'],
};
const VALUE_ATTRS: Record<string, string[]> = {
  button: ['type', 'size'],
  image: ['mode'],
  switch: ['type', 'color'],
  icon: ['type'],
  text: ['space'],
};

/**
 * Markup for one built-in. `resolveUrl` turns an image src into a URL the page can load.
 * Children are still the composed children; this only adds what the native widget draws itself.
 */
export function builtinMarkup(
  name: string,
  prop: PropReader,
  resolveUrl: (src: string) => string,
): BuiltinMarkup {
  const attributes: Record<string, string | undefined> = {};
  for (const attr of BOOLEAN_ATTRS[name] ?? []) {
    if (isTruthyProp(prop(attr))) attributes[attr] = '';
  }
  for (const attr of VALUE_ATTRS[name] ?? []) attributes[attr] = str(prop(attr)) || undefined;
  if (isTruthyProp(prop('hidden'))) attributes.hidden = '';
  let before = '';
  let after = '';
  let extraStyle: string | undefined;
  switch (name) {
    case 'image': {
      const src = str(prop('src'));
      if (src) before = `<img src="${escapeAttr(resolveUrl(src))}" alt="">`;
      break;
    }
    case 'input':
    case 'textarea': {
      const value = str(prop('value')) ?? '';
      const placeholder = str(prop('placeholder')) ?? '';
      const shown = isTruthyProp(prop('password')) ? '•'.repeat(value.length) : value;
      before = shown
        ? `<div class="wx-sim-value">${escapeText(shown)}</div>`
        : `<div class="wx-sim-placeholder">${escapeText(placeholder)}</div>`;
      break;
    }
    case 'switch':
    case 'checkbox':
    case 'radio':
      before = `<span class="wx-sim-${name}"></span>`;
      break;
    case 'progress': {
      const percent = Math.max(0, Math.min(100, Number(prop('percent')) || 0));
      const color = str(prop('activeColor') ?? prop('active-color') ?? prop('color')) ?? '#09bb07';
      const bg = str(prop('backgroundColor') ?? prop('background-color')) ?? '#ebebeb';
      const stroke = Number(prop('strokeWidth') ?? prop('stroke-width')) || 6;
      before =
        `<div class="wx-sim-progress" style="height:${stroke}px;background:${bg}">` +
        `<div style="width:${percent}%;height:100%;background:${color}"></div></div>`;
      if (isTruthyProp(prop('showInfo') ?? prop('show-info'))) {
        after = `<span class="wx-sim-progress-info">${percent}%</span>`;
      }
      break;
    }
    case 'icon': {
      const size = Number(prop('size')) || 23;
      extraStyle = `width:${size}px;height:${size}px`;
      break;
    }
    case 'rich-text': {
      const nodes = prop('nodes');
      // WeChat renders a whitelist of tags; plain text is the safe approximation.
      if (typeof nodes === 'string') before = escapeText(nodes.replace(/<[^>]*>/g, ''));
      break;
    }
  }
  return { attributes, before, after, extraStyle };
}
