/** Save-to-album for the album page: utils/album's permission flow, remote files downloaded first. */
import type { TaskScheduler } from '../utils/contracts';
import { saveToAlbum } from '../utils/album';
import { downloadFile } from '../utils/download';
import type { AlbumPort } from './ports';

export function albumPort(scheduler: TaskScheduler): AlbumPort {
  return {
    async save(url, signal) {
      const result = await saveToAlbum(url, {
        download: (remote) =>
          downloadFile(remote, { scheduler, signal }).then((download) => download.tempFilePath),
      });
      return result.outcome;
    },
  };
}
