import { rpxToPx, type RpxOptions } from './rpx';
import type { CompiledWxss, WxssBundle } from './wcsc';

/**
 * Turns one compiled sheet into CSS text, as WeChat's `setCssToHead(...)(suffix)` does: rpx to px,
 * `[1]` to the scope's class prefix, `[2, path]` to the imported sheet (each import once per sheet).
 */
export function wxssToCss(
  sheet: CompiledWxss,
  bundle: WxssBundle,
  classPrefix: string,
  rpx: RpxOptions,
): string {
  const seen = new Set<string>();
  const emit = (pieces: CompiledWxss): string => {
    let css = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') css += piece;
      else if (piece[0] === 0) css += `${rpxToPx(piece[1], rpx)}px`;
      else if (piece[0] === 1) css += classPrefix;
      else if (piece[0] === 2) {
        const imported = piece[1].replace(/^\.\//, '');
        if (seen.has(imported)) continue;
        seen.add(imported);
        const next = bundle.common.get(imported) ?? bundle.sheets.get(imported);
        if (next) css += emit(next);
      }
    }
    return css;
  };
  return emit(sheet);
}
