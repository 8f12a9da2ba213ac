/**
 * Base styles of WeChat's built-in components, approximating the webview's own stylesheet
 * (weui "style": "v2" look for buttons). Page wxss is applied after these and overrides them.
 */
export const BUILTIN_CSS = `
@font-face { font-family: "PingFang SC"; src: local("WenQuanYi Micro Hei"), local("Liberation Sans"), local("DejaVu Sans"); }
@font-face { font-family: "Microsoft YaHei"; src: local("WenQuanYi Micro Hei"), local("Liberation Sans"), local("DejaVu Sans"); }
@font-face { font-family: "Helvetica Neue"; src: local("Liberation Sans"), local("DejaVu Sans"); }
@font-face { font-family: "Arial Regular"; src: local("Liberation Sans"), local("DejaVu Sans"); }
@font-face { font-family: "Helvetica"; src: local("Liberation Sans"), local("DejaVu Sans"); }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: "PingFang SC", "Helvetica Neue", "Liberation Sans", "WenQuanYi Micro Hei", sans-serif; font-size: 16px; line-height: normal; -webkit-tap-highlight-color: transparent; }
[hidden] { display: none !important; }
wx-view, wx-navigator, wx-form, wx-scroll-view, wx-swiper, wx-swiper-item, wx-cover-view, wx-movable-area, wx-picker-view, wx-textarea, wx-input, wx-canvas, wx-video, wx-map, wx-web-view, wx-page-container, wx-root-portal, wx-editor, wx-checkbox-group, wx-radio-group, wx-picker, wx-slider, wx-list-view, wx-grid-view, wx-sticky-section { display: block; }
wx-text, wx-label { display: inline; }
wx-text { white-space: pre-wrap; }
wx-image { display: inline-block; position: relative; overflow: hidden; width: 320px; height: 240px; }
wx-image > img { display: block; width: 100%; height: 100%; object-fit: fill; }
wx-image[mode="aspectFit"] > img { object-fit: contain; }
wx-image[mode="aspectFill"] > img { object-fit: cover; }
wx-image[mode="center"] > img { object-fit: none; }
wx-image[mode="widthFix"] { height: auto; }
wx-image[mode="widthFix"] > img { height: auto; }
wx-image[mode="heightFix"] { width: auto; }
wx-image[mode="heightFix"] > img { width: auto; }
wx-input { height: 1.4rem; min-height: 1.4rem; line-height: 1.4rem; overflow: hidden; text-overflow: clip; white-space: nowrap; cursor: auto; }
/* The native input centres its one line vertically whatever height the page gives it. */
wx-input { display: flex; flex-direction: column; justify-content: center; }
wx-input > .wx-sim-value, wx-input > .wx-sim-placeholder { overflow: hidden; text-overflow: ellipsis; }
wx-textarea { width: 300px; height: 150px; overflow: hidden; white-space: pre-wrap; word-break: break-all; }
.wx-sim-placeholder { color: #808080; overflow: hidden; }
.wx-sim-value { overflow: hidden; }
wx-scroll-view { overflow: hidden; position: relative; }
wx-scroll-view[scroll-y] { overflow-y: auto; }
wx-scroll-view[scroll-x] { overflow-x: auto; white-space: nowrap; }
wx-scroll-view::-webkit-scrollbar { display: none; }
wx-swiper { position: relative; overflow: hidden; height: 150px; }
wx-swiper-item { position: absolute; left: 0; top: 0; width: 100%; height: 100%; overflow: hidden; box-sizing: border-box; }
wx-icon { display: inline-block; font-size: 0; vertical-align: middle; border-radius: 50%; background: #c9c9c9; }
wx-icon[type="success"], wx-icon[type="success_no_circle"] { background: #07c160; }
wx-icon[type="warn"] { background: #fa5151; }
wx-icon[type="info"], wx-icon[type="download"] { background: #10aeff; }
wx-progress { display: flex; align-items: center; }
.wx-sim-progress { flex: 1; overflow: hidden; }
.wx-sim-progress-info { margin-left: 15px; font-size: 16px; }
wx-switch, wx-checkbox, wx-radio { display: inline-block; vertical-align: middle; }
.wx-sim-switch { display: inline-block; position: relative; width: 52px; height: 32px; border-radius: 16px; border: 1px solid #dfdfdf; background: #dfdfdf; box-sizing: border-box; }
.wx-sim-switch::after { content: ''; position: absolute; top: 0; left: 0; width: 30px; height: 30px; border-radius: 15px; background: #fff; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.4); }
wx-switch[checked] .wx-sim-switch { background: #07c160; border-color: #07c160; }
wx-switch[checked] .wx-sim-switch::after { left: 20px; }
.wx-sim-checkbox, .wx-sim-radio { display: inline-block; width: 22px; height: 22px; border: 1px solid #d1d1d1; box-sizing: border-box; background: #fff; vertical-align: middle; margin-right: 5px; }
.wx-sim-checkbox { border-radius: 3px; }
.wx-sim-radio { border-radius: 50%; }
wx-checkbox[checked] .wx-sim-checkbox, wx-radio[checked] .wx-sim-radio { background: #07c160; border-color: #07c160; }
wx-canvas { width: 300px; height: 150px; }
wx-video { width: 300px; height: 225px; background: #000; }
wx-map { width: 300px; height: 225px; background: #e5e3df; }
wx-rich-text { display: inline; }
wx-movable-view { display: inline-block; position: absolute; top: 0; left: 0; width: 10px; height: 10px; }
wx-movable-area { position: relative; width: 10px; height: 10px; }
wx-cover-image { display: block; line-height: 1.2; overflow: hidden; pointer-events: auto; }
`;

/** The native button before weui v2 (app.json without "style": "v2"). */
export const BUTTON_LEGACY_CSS = `
wx-button { position: relative; display: block; margin-left: auto; margin-right: auto; padding-left: 14px; padding-right: 14px; box-sizing: border-box; font-size: 18px; text-align: center; text-decoration: none; line-height: 2.55555556; border-radius: 5px; overflow: hidden; color: #000; background-color: #f8f8f8; cursor: pointer; }
wx-button::after { content: " "; width: 200%; height: 200%; position: absolute; top: 0; left: 0; border: 1px solid rgba(0, 0, 0, 0.2); transform: scale(0.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 10px; }
wx-button[type="primary"] { color: #fff; background-color: #1aad19; }
wx-button[type="warn"] { color: #fff; background-color: #e64340; }
wx-button[size="mini"] { display: inline-block; line-height: 2.3; font-size: 13px; padding: 0 1.34em; }
wx-button[plain] { color: #353535; border: 1px solid #353535; background-color: transparent; }
wx-button[plain]::after { border-width: 0; }
wx-button[disabled] { color: rgba(0, 0, 0, 0.3); }
`;

/**
 * weui v2 native button ("style": "v2"): 184 px wide unless mini. tdesign's t-button does not set
 * a width, so a non-block t-button is 184 px wide here as on a phone (tdesign's docs advise
 * removing "style": "v2" for that reason).
 */
export const BUTTON_V2_CSS = `${BUTTON_LEGACY_CSS}
wx-button { width: 184px; padding: 12px 24px; font-size: 17px; font-weight: 700; line-height: 1.41176471; border-radius: 8px; color: #06ae56; background-color: #f2f2f2; }
wx-button[type="primary"] { color: #fff; background-color: #07c160; }
wx-button[type="warn"] { color: #fa5151; background-color: #f2f2f2; }
wx-button[size="mini"] { width: auto; padding: 0 0.75em; line-height: 2; font-size: 16px; }
wx-button[disabled] { color: rgba(0, 0, 0, 0.18); background-color: #f2f2f2; }
`;

/**
 * tdesign's t-icon draws glyphs from an icon font on tdesign's CDN, which a closed network
 * cannot reach, and the npm package ships no copy. Icons are drawn as an outlined rounded
 * square of the icon's size and colour instead, so layout and colour stay right.
 */
export const ICON_PLACEHOLDER_CSS = `
.t-icon-base::before { content: "" !important; display: inline-block; vertical-align: top; width: 0.84em; height: 0.84em; margin: 0.08em; border: 0.09em solid currentColor; border-radius: 28%; box-sizing: border-box; }
`;
