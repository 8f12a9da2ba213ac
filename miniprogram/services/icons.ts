/**
 * The app's icons come from its own bundle (images/icons.wxss), never from tdesign's icon font,
 * which tdesign loads from its CDN and an offline device cannot reach. In WXML a plain icon is
 * `<t-icon prefix="app-icon" name="…" />`; tdesign components that take an icon prop (t-empty,
 * t-result, t-cell, t-avatar, t-notice-bar, t-button) get one of the objects below.
 */
export const APP_ICON_PREFIX = 'app-icon';

/** Every icon images/icons.wxss draws (a test keeps the two in step). */
export const APP_ICON_NAMES = [
  'add',
  'search',
  'close-circle',
  'close-circle-filled',
  'error-circle',
  'error-circle-filled',
  'check-circle',
  'heart',
  'heart-filled',
  'send',
  'download',
  'image',
  'chart',
  'wifi',
  'wifi-off',
  'user',
  'chevron-right',
] as const;

export type AppIconName = (typeof APP_ICON_NAMES)[number];

/** The props tdesign passes on to its inner t-icon. */
export interface AppIconProps {
  name: AppIconName;
  prefix: typeof APP_ICON_PREFIX;
}

export function appIcon(name: AppIconName): AppIconProps {
  return { name, prefix: APP_ICON_PREFIX };
}

/** For page data (`icons`): WXML reads them as `{{icons.errorCircle}}`. */
export const ICONS = {
  add: appIcon('add'),
  search: appIcon('search'),
  closeCircle: appIcon('close-circle'),
  errorCircle: appIcon('error-circle'),
  checkCircle: appIcon('check-circle'),
  image: appIcon('image'),
  chart: appIcon('chart'),
  wifi: appIcon('wifi'),
  wifiOff: appIcon('wifi-off'),
  user: appIcon('user'),
  chevronRight: appIcon('chevron-right'),
} as const satisfies Record<string, AppIconProps>;
