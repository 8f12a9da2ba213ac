/**
 * Scenario 12: save to album — permission denied before → the explanation modal → the settings
 * page where the user grants it → the image is in the album; and the path where the user cancels.
 */
import fs from 'fs';
import path from 'path';
import type Page from 'miniprogram-automator/out/Page';
import type Element from 'miniprogram-automator/out/Element';
import { ROUTES } from '../harness/flows';
import { go } from '../harness/nav';
import { scenario, useE2e } from '../harness/scenario';
import { waitFor, waitForSelector } from '../harness/wait';

const e2e = useE2e();
const SCOPE = 'scope.writePhotosAlbum';

/** The album page with at least one uploaded file in the grid. */
async function albumWithAFile(): Promise<Page> {
  const { token } = await e2e.backend.login('tester');
  const bytes = fs.readFileSync(path.join(e2e.state.fixturesDir, 'photo-2.png'));
  await e2e.backend.upload(token, 'photo-2.png', bytes);
  const page = await go(e2e.mp, 'reLaunch', ROUTES.album);
  await waitForSelector(page, '.file-grid .file-item', { timeout: 8000 });
  return page;
}

async function tapSave(page: Page): Promise<void> {
  const [item] = (await waitForSelector(page, '.file-grid .file-item')) as Element[];
  const save = (await item.$('.save-button')) ?? (await page.$('.save-button'));
  if (!save) throw new Error('no .save-button for the first file');
  await save.tap();
}

scenario('12a. denied → explanation → settings grant → saved in the album', async () => {
  const page = await albumWithAFile();
  await e2e.device.clearAlbum();
  await e2e.device.clearHistory();
  await e2e.device.setScope(SCOPE, 'denied');
  await e2e.device.scriptOpenSetting({ [SCOPE]: true });
  await e2e.device.setModalDefault('confirm');

  await tapSave(page);

  const album = await waitFor(
    async () => {
      const files = await e2e.device.albumFiles();
      return files.length > 0 ? files : undefined;
    },
    { message: 'the image in the album' },
  );
  expect(album).toHaveLength(1);
  expect(await e2e.device.history('showModal')).toHaveLength(1);
  expect(await e2e.device.history('openSetting')).toHaveLength(1);
});

scenario('12b. denied → the user cancels the explanation → nothing saved', async () => {
  const page = await albumWithAFile();
  await e2e.device.clearAlbum();
  await e2e.device.clearHistory();
  await e2e.device.setScope(SCOPE, 'denied');
  await e2e.device.setModalDefault('cancel');

  await tapSave(page);

  await waitFor(async () => (await e2e.device.history('modalAnswered')).length === 1, {
    message: 'the explanation modal to be answered',
  });
  // Settle: whatever the app does after the answer happens before this round trip returns.
  await page.data();
  expect(await e2e.device.history('openSetting')).toEqual([]);
  expect(await e2e.device.albumFiles()).toEqual([]);
  await e2e.device.setModalDefault('pending');
});
