/**
 * The README gallery cannot go stale silently: the quick shots (content that does not depend on
 * timing: products list, empty search, product detail, me, dark mode) are rendered again with the
 * same steps as `npm run screenshots` and compared with docs/screenshots/*.png by pixelmatch
 * (threshold 0.1); a shot fails when more than 1 % of its pixels differ, and its fresh render and
 * diff land in test-artifacts/screenshots/. Every shot: `npm run screenshots -- --check`.
 *
 * Own phone (rendering on), own phone data and own user ('gallery', which no other spec uses) on
 * the harness's backend and build, so the other specs' state is untouched.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Comparison } from '../screenshots/compare';
import { MAX_DIFF_RATIO } from '../screenshots/compare';
import { compareInChild } from '../screenshots/compare-child';
import { GALLERY_USER } from '../screenshots/gallery-user';
import { median, runShots } from '../screenshots/run-shots';
import { startGallerySession } from '../screenshots/session';
import { galleryFile, SHOTS } from '../screenshots/shots';
import { acquireLock } from '../harness/lock';
import { readState } from '../harness/state';

const QUICK = SHOTS.filter((shot) => shot.quick);
const comparisons = new Map<string, Comparison>();

beforeAll(async () => {
  const freshDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-gallery-check-'));
  const state = readState();
  // The backend is shared: hold the specs' lock while driving the app on it.
  const release = await acquireLock(state.tempRoot);
  const session = await startGallerySession({ userKey: GALLERY_USER, reuse: state }).catch(
    (error: unknown) => {
      release();
      throw error;
    },
  );
  try {
    const summary = await runShots(session, QUICK, ({ shot, png }) =>
      fs.writeFileSync(path.join(freshDir, shot.file), png),
    );
    console.log(
      `gallery check: ${summary.results.length} shots, render median ${median(summary.renderMs)} ms`,
    );
  } finally {
    await session.close();
    release();
  }
  const results = await compareInChild({
    pairs: QUICK.map((shot) => ({
      gallery: galleryFile(shot),
      actual: path.join(freshDir, shot.file),
    })),
  });
  fs.rmSync(freshDir, { recursive: true, force: true });
  for (const result of results) comparisons.set(result.file, result);
  console.log(results.map((result) => result.message).join('\n'));
}, 120_000);

test('the quick subset covers light and dark, with timing-independent shots only', () => {
  expect(QUICK.length).toBeGreaterThanOrEqual(4);
  expect(QUICK.some((shot) => shot.file.includes('dark'))).toBe(true);
  expect(QUICK.every((shot) => shot.deterministic !== false)).toBe(true);
});

test.each(QUICK.map((shot) => [shot.file]))('%s matches a fresh render', (file) => {
  const comparison = comparisons.get(file);
  if (!comparison) throw new Error(`${file} was not compared`);
  expect(comparison.message).not.toMatch(/missing|size changed/);
  expect(comparison.ratio).toBeLessThanOrEqual(MAX_DIFF_RATIO);
});
