/**
 * docs/screenshots/README.md: the `## Gallery` section for the repository's README (links are
 * relative to the repository root, where it is pasted), written from the shot list so captions
 * and files never drift apart.
 */
import type { Shot } from './shots';

const COLUMNS = 3;

export function galleryMarkdown(shots: Shot[]): string {
  const cell = (shot: Shot) =>
    `<a href="docs/screenshots/${shot.file}"><img src="docs/screenshots/${shot.file}" ` +
    `width="240" alt="${shot.caption}"></a><br>${shot.caption}`;
  const rows: string[] = [];
  for (let i = 0; i < shots.length; i += COLUMNS) {
    const cells = shots.slice(i, i + COLUMNS).map(cell);
    while (cells.length < COLUMNS) cells.push(' ');
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return [
    '## Gallery',
    '',
    'Every page as the headless simulator lays it out in Chromium: 375 × 603 pt at DPR 2 (750 px',
    "wide), the page's webview without navigation and tab bars, as `miniProgram.screenshot()` gives",
    'it (the permission modal, which WeChat draws natively, is composed on top). Seeded products, a',
    'fixed user and pinned clock texts keep re-renders identical.',
    '',
    '- `npm run screenshots` re-renders them all (own backend and simulator; about 35 s).',
    '- `npm test` (e2e project, `test/e2e/visual/gallery.spec.ts`) renders the timing-independent',
    '  ones again and fails when more than 1 % of the pixels differ (pixelmatch, threshold 0.1);',
    '  `npm run screenshots -- --check` compares all of them. Diffs go to `test-artifacts/screenshots/`.',
    '',
    `|${' |'.repeat(COLUMNS)}`,
    `|${' --- |'.repeat(COLUMNS)}`,
    ...rows,
    '',
  ].join('\n');
}
