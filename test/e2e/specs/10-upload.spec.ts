/**
 * Scenario 10: upload — chooseMedia returns fixture images, progress shows, the uploaded files
 * appear in the grid, and the backend holds files with the fixtures' SHA-256.
 */
import path from 'path';
import type Element from 'miniprogram-automator/out/Element';
import type { FileInfo, PageResult } from '../../../typings/api';
import { attributes, ROUTES } from '../harness/flows';
import { sha256File, SMALL_FIXTURES } from '../harness/fixtures';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor, waitForSelector } from '../harness/wait';

const e2e = useE2e();

scenario('10. chosen images upload with progress and appear in the grid', async () => {
  const page = await go(e2e.mp, 'switchTab', ROUTES.album);
  const gridBefore = await attributes(await page.$$('.file-grid .file-item'), 'data-id');
  const expected = SMALL_FIXTURES.map((name) => sha256File(path.join(e2e.state.fixturesDir, name)));
  await e2e.device.setNextChoose(SMALL_FIXTURES);

  const [choose] = await waitForSelector(page, '.choose-button');
  await choose.tap();

  // One queue entry per chosen image, each with its progress.
  const items = await waitForSelector(page, '.upload-item', { count: SMALL_FIXTURES.length });
  for (const item of items) expect(await item.$('.upload-progress')).not.toBeNull();
  await waitFor(
    async () => {
      const states = await attributes(await page.$$('.upload-item'), 'data-state');
      return states.length >= SMALL_FIXTURES.length && states.every((s) => s === 'done');
    },
    { message: 'every upload to be done', timeout: 8000 },
  );
  const progress = await Promise.all(
    ((await page.$$('.upload-item .upload-progress')) as Element[]).map((bar) =>
      bar.attribute('data-progress'),
    ),
  );
  expect(progress.slice(-SMALL_FIXTURES.length)).toEqual(SMALL_FIXTURES.map(() => '100'));

  // The grid shows the new files, and the backend holds exactly these bytes.
  const { token } = await e2e.backend.login('tester');
  const files = await e2e.backend.as<PageResult<FileInfo>>(token, 'GET', '/api/files?pageSize=50');
  const bySha = new Map(files.list.map((file) => [file.sha256, file]));
  for (const sha of expected) expect(bySha.has(sha)).toBe(true);
  const uploadedIds = expected.map((sha) => bySha.get(sha)!.id);
  const grid = await waitFor(
    async () => {
      const ids = await attributes(await page.$$('.file-grid .file-item'), 'data-id');
      return uploadedIds.every((id) => ids.includes(id)) ? ids : undefined;
    },
    { message: 'the uploaded files in the grid' },
  );
  expect(grid.length).toBeGreaterThanOrEqual(
    gridBefore.length + uploadedIds.filter((id) => !gridBefore.includes(id)).length,
  );
});
