/**
 * Scenario 11: resumable upload — a large image is interrupted after some chunks (the app is
 * killed); after the restart the upload resumes and completes, and the backend received every
 * chunk exactly once.
 */
import type { FileInfo, PageResult } from '../../../typings/api';
import { attributes, ROUTES } from '../harness/flows';
import { LARGE_FIXTURE, sha256File } from '../harness/fixtures';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor, waitForPage, waitForSelector } from '../harness/wait';

const e2e = useE2e();

scenario(
  '11. a large upload interrupted by an app restart resumes and sends each chunk once',
  async () => {
    const sha = sha256File(e2e.state.largeFixture);
    const page = await go(e2e.mp, 'switchTab', ROUTES.album);
    const chunksBefore = new Set(Object.keys((await e2e.backend.stats()).chunks));

    // A slow network so the app can be killed with the upload half-way.
    await e2e.device.setNetwork({ latencyMs: 150 });
    await e2e.device.setNextChoose([LARGE_FIXTURE]);
    const [choose] = await waitForSelector(page, '.choose-button');
    await choose.tap();
    const uploadId = await waitFor(
      async () => {
        const { chunks } = await e2e.backend.stats();
        return Object.keys(chunks).find(
          (id) => !chunksBefore.has(id) && Object.keys(chunks[id]).length >= 2,
        );
      },
      { message: 'the first chunks to arrive', timeout: 10_000 },
    );

    const mp = await e2e.restartApp();
    await e2e.device.setNetwork({ latencyMs: 0 });
    const partial = Object.keys((await e2e.backend.stats()).chunks[uploadId]).length;

    // After the restart the user picks the same image again; the upload continues from the
    // first chunk the backend does not hold.
    await waitForPage(mp, ROUTES.products, { timeout: 8000 });
    const album = await go(mp, 'switchTab', ROUTES.album);
    await e2e.device.setNextChoose([LARGE_FIXTURE]);
    const [chooseAgain] = await waitForSelector(album, '.choose-button');
    await chooseAgain.tap();
    const { token } = await e2e.backend.login('tester');
    const file = await waitFor(
      async () => {
        const files = await e2e.backend.as<PageResult<FileInfo>>(
          token,
          'GET',
          '/api/files?pageSize=50',
        );
        return files.list.find((candidate) => candidate.sha256 === sha);
      },
      { message: 'the completed large file on the backend', timeout: 15_000 },
    );
    const received = (await e2e.backend.stats()).chunks[uploadId];
    const counts = Object.values(received);
    expect(counts.length).toBeGreaterThan(partial);
    expect(counts.every((n) => n === 1)).toBe(true);
    expect(file.size).toBeGreaterThan(4 * 1024 * 1024);
    await waitFor(
      async () =>
        (await attributes(await album.$$('.file-grid .file-item'), 'data-id')).includes(file.id),
      { message: 'the large file in the grid' },
    );
  },
  40_000,
);
