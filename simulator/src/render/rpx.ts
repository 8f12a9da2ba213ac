/**
 * rpx -> px the way WeChat's webview does it (the `transformRPX` that wcsc emits): scale to the
 * window width, floor with a small epsilon, and never let a non-zero length vanish (0.5 px on a
 * DPR >= 2 screen, 1 px otherwise), so hairlines written as 1rpx stay visible.
 */
export interface RpxOptions {
  /** Window width in CSS px (default 375). */
  width: number;
  /** Device pixel ratio (default 2). */
  dpr: number;
}

const BASE_WIDTH = 750;
const EPS = 1e-4;

export function rpxToPx(rpx: number, { width, dpr }: RpxOptions): number {
  if (rpx === 0) return 0;
  const px = Math.floor((rpx / BASE_WIDTH) * width + EPS);
  if (px !== 0) return px;
  return dpr >= 2 ? 0.5 : 1;
}

const RPX_IN_TEXT = /(-?(?:\d+\.?\d*|\.\d+))rpx\b/gi;

/** Converts every `Nrpx` in a CSS text (inline styles, style attributes) to px. */
export function convertRpxInCss(css: string, options: RpxOptions): string {
  return css.replace(RPX_IN_TEXT, (_m, n: string) => `${rpxToPx(Number(n), options)}px`);
}
