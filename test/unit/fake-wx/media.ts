/**
 * Fake `wx.compressImage` (and `wx.chooseMedia`) on the files family's file system: compression
 * writes a new temp file whose size scales with `quality`, like the real API's effect.
 */
import type { FilesControl } from './files';
import { later, type WxApis, type WxFail } from './types';

export interface MediaControl {
  readonly compressCalls: Array<{ src: string; quality?: number }>;
  /** The next N compressImage calls fail. */
  failNextCompress: number;
  /** Paths the next chooseMedia returns (added to the file system with the given sizes). */
  readonly chooseQueue: Array<{ path: string; size: number }>;
  /** Answer the next chooseMedia with a user cancel. */
  cancelNextChoose: boolean;
}

type Callbacks<S> = { success?: (r: S) => void; fail?: (r: WxFail) => void };

export function createMediaFamily(files: FilesControl): { apis: WxApis; control: MediaControl } {
  let counter = 0;
  const control: MediaControl = {
    compressCalls: [],
    failNextCompress: 0,
    chooseQueue: [],
    cancelNextChoose: false,
  };
  const apis = {
    compressImage(option: { src: string; quality?: number } & Callbacks<{ tempFilePath: string }>) {
      control.compressCalls.push({ src: option.src, quality: option.quality });
      const source = files.files.get(option.src);
      later(0, () => {
        if (!source || control.failNextCompress > 0) {
          if (control.failNextCompress > 0) control.failNextCompress--;
          option.fail?.({ errMsg: 'compressImage:fail' });
          return;
        }
        const quality = Math.min(100, Math.max(1, option.quality ?? 80));
        const size = Math.max(1, Math.round((source.length * quality) / 100));
        const tempFilePath = `http://tmp/compressed-${++counter}.jpg`;
        files.files.set(tempFilePath, source.slice(0, size));
        option.success?.({ tempFilePath });
      });
    },
    chooseMedia(option: Callbacks<{ tempFiles: Array<{ tempFilePath: string; size: number }> }>) {
      later(0, () => {
        if (control.cancelNextChoose) {
          control.cancelNextChoose = false;
          option.fail?.({ errMsg: 'chooseMedia:fail cancel' });
          return;
        }
        const chosen = control.chooseQueue.splice(0);
        for (const file of chosen) files.addFile(file.path, file.size);
        option.success?.({
          tempFiles: chosen.map((f) => ({ tempFilePath: f.path, size: f.size })),
        });
      });
    },
  };
  return { apis: apis as unknown as WxApis, control };
}
