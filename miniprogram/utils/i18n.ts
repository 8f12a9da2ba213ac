/**
 * One message mechanism for the whole app: zh-CN by default, English available.
 * Each module adds its own table with `addMessages`; `t()` looks a key up in the current locale,
 * falls back to zh-CN, then to the key itself, and fills `{name}` placeholders.
 */

export type Locale = 'zh-CN' | 'en';
export type MessageTable = Record<string, string>;
export type MessageParams = Record<string, string | number>;

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const FALLBACK: Locale = 'zh-CN';

const tables: Record<Locale, MessageTable> = { 'zh-CN': {}, en: {} };
const listeners = new Set<(locale: Locale) => void>();
let current: Locale = FALLBACK;

export function addMessages(messages: Partial<Record<Locale, MessageTable>>): void {
  for (const locale of LOCALES) Object.assign(tables[locale], messages[locale]);
}

export function t(key: string, params?: MessageParams): string {
  const template = tables[current][key] || tables[FALLBACK][key] || key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (!isLocale(locale) || locale === current) return;
  current = locale;
  for (const listener of [...listeners]) listener(locale);
}

/** Returns an unsubscribe; pages call it in onUnload so listeners never pile up. */
export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
