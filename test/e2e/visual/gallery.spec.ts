/**
 * The README gallery cannot go stale silently: the quick shots (content that does not depend on
 * timing: products list, empty search, product detail, me, dark mode) are rendered again with the
 * same steps as `npm run screenshots` and compared with docs/screenshots/*.png. A shot fails when
 * more than 1 % of its pixels differ (threshold 0.1 per channel); the diff lands in
 * test-artifacts/screenshots/. Every shot: `npm run screenshots -- --check`.
 *
 * Own phone (rendering on), own phone data and own user ('gallery', which no other spec uses) on
 * the harness's backend and build, so the other specs' state is untouched.
 */
import { compareWithGallery, MAX_DIFF_RATIO } from '../screenshots/compare';
import { GALLERY_USER } from '../screenshots/gallery-user';
import { runShots } from '../screenshots/run-shots';
import type { ShotResult } from '../screenshots/run-shots';
import { startGallerySession } from '../screenshots/session';
import type { GallerySession } from '../screenshots/session';
import { SHOTS } from '../screenshots/shots';
import { readState } from '../harness/state';

const QUICK = SHOTS.filter((shot) => shot.quick);
let session: GallerySession | undefined;
const rendered = new Map<string, ShotResult>();

beforeAll(async () => {
  const state = readState();
  session = await startGallerySession({ userKey: GALLERY_USER, reuse: state });
  const summary = await runShots(session, QUICK, (result) =>
    rendered.set(result.shot.file, result),
  );
  console.log(
    `gallery check: ${summary.results.length} shots, render median ` +
      `${summaryMedian(summary.renderMs)} ms (first ${summary.firstRenderMs} ms)`,
  );
}, 90_000);

afterAll(async () => {
  await session?.close();
});

function summaryMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

test('the quick subset is not empty and covers light and dark', () => {
  expect(QUICK.length).toBeGreaterThanOrEqual(4);
  expect(QUICK.some((shot) => shot.file.includes('dark'))).toBe(true);
});

test.each(QUICK.map((shot) => [shot.file]))('%s matches a fresh render', (file) => {
  const result = rendered.get(file);
  if (!result) throw new Error(`${file} was not rendered`);
  const comparison = compareWithGallery(result.shot, result.png);
  console.log(comparison.message);
  expect(comparison.ratio).toBeLessThanOrEqual(MAX_DIFF_RATIO);
});
