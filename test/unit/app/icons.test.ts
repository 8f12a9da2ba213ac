/// <reference types="node" />
/**
 * No icon in the app may depend on tdesign's icon font: tdesign's icon.wxss loads it from its CDN
 * (tdesign.gtimg.com), so an offline device would show empty boxes. Every icon is drawn from the
 * app's bundle (images/icons.wxss) through t-icon's `prefix`, and every tdesign component that
 * would pick an icon by itself is given one.
 */
import fs from 'fs';
import path from 'path';
import {
  APP_ICON_NAMES,
  APP_ICON_PREFIX,
  ICONS,
  appIcon,
} from '../../../miniprogram/services/icons';

const ROOT = path.join(__dirname, '../../../miniprogram');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const iconsWxss = read('images/icons.wxss');
const appJson = JSON.parse(read('app.json')) as { pages: string[] };
const templates = [
  ...appJson.pages.map((page) => `${page}.wxml`),
  'components/offline-banner/index.wxml',
];
const tagsOf = (file: string, tag: string) =>
  read(file).match(new RegExp(`<${tag}\\b[^>]*>`, 'g')) ?? [];

describe('bundled icons', () => {
  it('icons.wxss draws exactly the names services/icons.ts lists, each from an inline SVG', () => {
    const drawn = [
      ...iconsWxss.matchAll(
        /^\.app-icon-([a-z-]+) \{\n {2}--app-icon: url\("data:image\/svg\+xml,%3Csvg [^"]+"\);/gm,
      ),
    ].map((match) => match[1]);
    expect(drawn.sort()).toEqual([...APP_ICON_NAMES].sort());
    // The shared rule (the selector list before the first block) sizes and masks every one.
    const shared = iconsWxss.slice(iconsWxss.indexOf('*/') + 2, iconsWxss.indexOf('{'));
    expect(shared.split(',').map((selector) => selector.trim())).toEqual(
      APP_ICON_NAMES.map((name) => `.app-icon-${name}`),
    );
    expect(iconsWxss).toMatch(
      /-webkit-mask-image: var\(--app-icon\);\n {2}mask-image: var\(--app-icon\);/,
    );
    // ...and none of them ever draws a glyph on top of its mask.
    for (const name of APP_ICON_NAMES) expect(iconsWxss).toContain(`.app-icon-${name}::before`);
    expect(iconsWxss).toMatch(/::before \{\n {2}display: none !important;\n\}/);
    // Nothing fetched: no http(s) URL anywhere.
    expect(iconsWxss).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('the app stylesheet imports them, so every page and apply-shared component has them', () => {
    expect(read('app.wxss')).toMatch(/^@import '\.\/images\/icons\.wxss';$/m);
  });

  it('the icon objects for tdesign props name bundled icons with the app prefix', () => {
    expect(appIcon('heart')).toEqual({ name: 'heart', prefix: APP_ICON_PREFIX });
    for (const icon of Object.values(ICONS)) {
      expect(APP_ICON_NAMES).toContain(icon.name);
      expect(icon.prefix).toBe('app-icon');
    }
  });

  it.each(templates)('%s: every t-icon uses the bundle and names an icon it has', (file) => {
    for (const tag of tagsOf(file, 't-icon')) {
      expect(tag).toContain(`prefix="${APP_ICON_PREFIX}"`);
      const name = /\bname="([^"]*)"/.exec(tag)?.[1] ?? '';
      // Literal names, also those inside a {{ a ? 'x' : 'y' }} expression.
      const literals = name.includes('{{')
        ? [...name.matchAll(/'([^']+)'/g)].map((m) => m[1])
        : [name];
      expect(literals.length).toBeGreaterThan(0);
      for (const literal of literals) expect(APP_ICON_NAMES).toContain(literal);
    }
  });

  it.each(templates)('%s: tdesign components never pick a font icon by themselves', (file) => {
    const source = read(file);
    // Icon props take an object from ICONS (page data `icons` / the banner's `icon`), never a name.
    for (const match of source.matchAll(
      /\s(icon|prefixIcon|prefix-icon|right-icon|left-icon)="([^"]*)"/g,
    )) {
      expect([file, match[1], match[2]]).toEqual([
        file,
        match[1],
        expect.stringMatching(/^\{\{.*\bicons?\b/),
      ]);
    }
    // t-cell's arrow is a font chevron: cells use right-icon instead.
    expect(source).not.toMatch(/<t-cell\b[^>]*\barrow=/);
    // t-result picks a font icon per theme unless given one.
    for (const tag of tagsOf(file, 't-result')) expect(tag).toMatch(/\sicon="\{\{/);
    // t-image's failed state is a font "close" icon unless the page fills the error slot.
    for (const tag of tagsOf(file, 't-image')) expect(tag).toContain('error="slot"');
    // t-avatar shows its image's failure as the alt text instead of that icon.
    for (const tag of tagsOf(file, 't-avatar')) expect(tag).toMatch(/\salt="[^"]+"/);
  });

  it.each(templates)('%s: pages that bind icons have them in their data', (file) => {
    if (!/\{\{[^}]*\bicons\./.test(read(file)) || file.startsWith('components/')) return;
    expect(read(file.replace(/\.wxml$/, '.ts'))).toMatch(/\bicons: ICONS\b/);
  });
});
