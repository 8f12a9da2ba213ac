import fs from 'fs';
import path from 'path';
import type { RpxOptions } from './rpx';
import { isolationFromOptions, type ComponentScope, type StyleIsolation } from './serialize';
import { compileWxss, type WxssBundle } from './wcsc';
import { wxssToCss } from './wxss-css';

export type ThemeName = 'light' | 'dark';

function listWxss(root: string, dir = ''): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...listWxss(root, rel));
    else if (entry.name.endsWith('.wxss')) found.push(rel);
  }
  return found.sort();
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The stylesheets of one mini program (its `dist/`): every .wxss compiled by wcsc once, lazily,
 * then turned into CSS per scope and rpx setting on demand (cached).
 */
export class ProjectStyles {
  private bundle: Promise<WxssBundle> | null = null;
  private readonly cssCache = new Map<string, string>();

  constructor(readonly projectPath: string) {}

  /** Compiles the project's WXSS (once). Rejects with wcsc's message on invalid WXSS. */
  load(): Promise<WxssBundle> {
    if (!this.bundle) {
      const files = listWxss(this.projectPath);
      this.bundle = compileWxss(this.projectPath, files);
      // A failed compile is not cached: the next call retries (the files may have been fixed).
      this.bundle.catch(() => {
        this.bundle = null;
      });
    }
    return this.bundle;
  }

  /** Forget compiled styles (after the project's files changed). */
  invalidate(): void {
    this.bundle = null;
    this.cssCache.clear();
  }

  /** A component's isolation from its json (`styleIsolation`, `addGlobalClass`); default isolated. */
  isolationOf(componentPath: string): StyleIsolation {
    const json = readJson(path.join(this.projectPath, `${componentPath}.json`));
    return isolationFromOptions(json) ?? 'isolated';
  }

  private async sheetCss(sheetPath: string, prefix: string, rpx: RpxOptions): Promise<string> {
    const key = `${sheetPath}|${prefix}|${rpx.width}|${rpx.dpr}`;
    const cached = this.cssCache.get(key);
    if (cached !== undefined) return cached;
    const bundle = await this.load();
    const sheet = bundle.sheets.get(sheetPath);
    const css = sheet ? wxssToCss(sheet, bundle, prefix, rpx) : '';
    this.cssCache.set(key, css);
    return css;
  }

  /**
   * CSS for a page and the components it rendered: component sheets (scoped by prefix; a
   * `shared` component's also unscoped), then app.wxss, then the page's own sheet.
   */
  async pageCss(
    pagePath: string | undefined,
    scopes: ComponentScope[],
    rpx: RpxOptions,
  ): Promise<string> {
    const parts: string[] = [(await this.load()).globalCss];
    for (const scope of scopes) {
      if (scope.path === pagePath) continue;
      parts.push(await this.sheetCss(`${scope.path}.wxss`, scope.prefix, rpx));
      if (scope.isolation === 'shared')
        parts.push(await this.sheetCss(`${scope.path}.wxss`, '', rpx));
    }
    parts.push(await this.sheetCss('app.wxss', '', rpx));
    if (pagePath) parts.push(await this.sheetCss(`${pagePath}.wxss`, '', rpx));
    return parts.join('\n');
  }

  /** app.json `"style": "v2"` (the weui v2 look of native components). */
  styleV2(): boolean {
    return readJson(path.join(this.projectPath, 'app.json'))?.style === 'v2';
  }

  /** The window's background colour for a page: app.json window, page json, theme.json @vars. */
  windowBackground(pagePath: string | undefined, theme: ThemeName): string | undefined {
    const app = readJson(path.join(this.projectPath, 'app.json')) ?? {};
    const appWindow = (app.window ?? {}) as Record<string, unknown>;
    const page = pagePath ? (readJson(path.join(this.projectPath, `${pagePath}.json`)) ?? {}) : {};
    let value = page.backgroundColor ?? appWindow.backgroundColor;
    if (typeof value !== 'string') return undefined;
    if (value.startsWith('@')) {
      const location = typeof app.themeLocation === 'string' ? app.themeLocation : 'theme.json';
      const themeJson = readJson(path.join(this.projectPath, location)) ?? {};
      const vars = (themeJson[theme] ?? {}) as Record<string, unknown>;
      value = vars[value.slice(1)];
      if (typeof value !== 'string') return undefined;
    }
    return value;
  }
}
