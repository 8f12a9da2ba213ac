/// <reference types="node" />
/**
 * Static checks of the app's structure that a reviewer would otherwise do by eye: every page is
 * complete and carries the offline banner, the tab bar has real icons, icon-only buttons have
 * an aria-label, dark mode is wired, and every `t.key` a template reads exists in both languages.
 */
import fs from 'fs';
import path from 'path';
import { APP_MESSAGE_TABLES } from '../../../miniprogram/i18n/messages';

const ROOT = path.join(__dirname, '../../../miniprogram');
const appJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')) as {
  pages: string[];
  tabBar: { list: Array<{ pagePath: string; iconPath: string; selectedIconPath: string }> };
  darkmode: boolean;
  themeLocation: string;
  usingComponents: Record<string, string>;
};
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('app structure', () => {
  it.each(appJson.pages)('%s has ts, wxml, wxss, json and the offline banner', (page) => {
    for (const ext of ['ts', 'wxml', 'wxss', 'json']) {
      expect(fs.existsSync(path.join(ROOT, `${page}.${ext}`))).toBe(true);
    }
    // The banner is the first thing on the page: first element, or first child of an
    // unconditional root view (chat puts it inside its full-height column).
    expect(read(`${page}.wxml`)).toMatch(
      /^(<view(?![^>]*wx:(if|for))[^>]*>\s*(<!--[\s\S]*?-->\s*)?)?<offline-banner \/>/,
    );
    expect(appJson.usingComponents['offline-banner']).toBe('/components/offline-banner/index');
  });

  it('has the four tabs with real 81×81 PNG icons', () => {
    expect(appJson.tabBar.list.map((tab) => tab.pagePath)).toEqual([
      'pages/products/index',
      'pages/chat/index',
      'pages/album/index',
      'pages/me/index',
    ]);
    for (const tab of appJson.tabBar.list) {
      for (const icon of [tab.iconPath, tab.selectedIconPath]) {
        const bytes = fs.readFileSync(path.join(ROOT, icon));
        expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([81, 81]);
        expect(bytes.length).toBeLessThan(40 * 1024); // WeChat's tab icon limit
      }
    }
  });

  it('follows the system theme with variables for both modes', () => {
    expect(appJson.darkmode).toBe(true);
    const theme = JSON.parse(read(appJson.themeLocation)) as Record<string, Record<string, string>>;
    expect(Object.keys(theme.dark).sort()).toEqual(Object.keys(theme.light).sort());
    const variables = JSON.stringify(appJson).match(/"@(\w+)"/g) ?? [];
    for (const variable of variables) {
      expect(theme.light).toHaveProperty(variable.slice(2, -1));
    }
    expect(read('app.wxss')).toContain('@media (prefers-color-scheme: dark)');
  });

  const templates = [
    ...appJson.pages.map((page) => `${page}.wxml`),
    'components/offline-banner/index.wxml',
  ];

  it.each(templates)('%s: icon-only buttons carry an aria-label', (file) => {
    const tags = read(file).match(/<view[^>]*class="[^"]*icon-button[^"]*"[^>]*>/g) ?? [];
    for (const tag of tags) expect(tag).toMatch(/aria-label="[^"]+"/);
  });

  it.each(appJson.pages)('%s reads only texts that exist in both languages', (page) => {
    const source = read(`${page}.ts`);
    const scopes = [...source.matchAll(/textsFor\(([^)]*)\)/g)].flatMap((match) =>
      [...match[1].matchAll(/'(\w+)'/g)].map((scope) => scope[1]),
    );
    const known = new Set(
      Object.keys(APP_MESSAGE_TABLES.en)
        .filter((key) => scopes.includes(key.split('.')[0]))
        .map((key) => key.slice(key.indexOf('.') + 1).replace(/\./g, '_')),
    );
    const used = [...read(`${page}.wxml`).matchAll(/\b(?:t|tc|tp)\.(\w+)/g)].map(
      (match) => match[1],
    );
    expect(used.length).toBeGreaterThan(0);
    for (const key of used) expect([page, key, known.has(key)]).toEqual([page, key, true]);
  });
});
