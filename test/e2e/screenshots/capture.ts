/**
 * `npm run screenshots`: builds the app, starts a fresh backend and a rendering simulator, drives
 * the app through every page and state of the README gallery and writes docs/screenshots/*.png.
 * `npm run screenshots -- --check` renders the same and compares with the committed images
 * instead (exit 1 on a large difference; diffs in test-artifacts/screenshots/).
 * `--only 01,05` takes a subset (by number).
 *
 * Prints the time to render one screenshot once the browser is up (median over the renders).
 */
import fs from 'fs';
import path from 'path';
import { compareWithGallery, DIFF_DIR } from './compare';
import { galleryMarkdown } from './gallery-readme';
import { GALLERY_USER } from './gallery-user';
import { median, runShots } from './run-shots';
import { startGallerySession } from './session';
import { galleryFile, SCREENSHOTS_DIR, SHOTS } from './shots';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : [];
  const shots = only.length ? SHOTS.filter((shot) => only.includes(shot.file.slice(0, 2))) : SHOTS;
  if (onlyIndex >= 0 && shots.length !== only.length) {
    throw new Error(`--only wants shot numbers such as 01,05 (known: ${SHOTS.length} shots)`);
  }
  const started = Date.now();
  const session = await startGallerySession({ userKey: GALLERY_USER, verbose: true });
  let failures = 0;
  try {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const comparing: Array<Promise<void>> = [];
    const summary = await runShots(session, shots, ({ shot, png, renderMs }) => {
      const renders = `renders ${renderMs.join(', ')} ms`;
      if (!check) {
        fs.writeFileSync(galleryFile(shot), png);
        console.log(`wrote docs/screenshots/${shot.file} (${renders})`);
        return;
      }
      comparing.push(
        compareWithGallery(galleryFile(shot), png).then((outcome) => {
          const counts = shot.deterministic !== false;
          console.log(`${outcome.message} (${renders})${counts ? '' : ' [timing-dependent]'}`);
          if (!outcome.ok && counts) failures++;
        }),
      );
    });
    await Promise.all(comparing);
    if (!check && shots === SHOTS) {
      // A renamed or dropped shot leaves no stale picture behind.
      const current = new Set(SHOTS.map((shot) => shot.file));
      for (const name of fs.readdirSync(SCREENSHOTS_DIR)) {
        if (name.endsWith('.png') && !current.has(name))
          fs.rmSync(path.join(SCREENSHOTS_DIR, name));
      }
      fs.writeFileSync(path.join(SCREENSHOTS_DIR, 'README.md'), galleryMarkdown(SHOTS));
      console.log('wrote docs/screenshots/README.md');
    }
    console.log(
      `render time per screenshot (browser up): median ${median(summary.renderMs)} ms over ` +
        `${summary.renderMs.length} renders, max ${Math.max(...summary.renderMs)} ms ` +
        `(goal < 1000 ms); renders that started Chromium: ${summary.coldRenderMs.join(', ')} ms`,
    );
  } finally {
    await session.close();
  }
  console.log(`${shots.length} screenshots in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failures > 0) {
    console.error(`${failures} screenshot(s) differ from the gallery; diffs in ${DIFF_DIR}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
