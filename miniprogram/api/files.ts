/** The user's uploaded files. Uploading itself goes through utils/upload (the upload port). */
import type { FileInfo, PageResult } from '../../typings/api';
import type { CancelSignal } from '../utils/cancel';
import { apiHttp } from './client';

export interface ListFilesOptions {
  signal?: CancelSignal;
  /** The caller shows the failure itself (an empty grid's error state): no toast. */
  silent?: boolean;
}

export function listFiles(
  current: number,
  pageSize: number,
  options: ListFilesOptions = {},
): Promise<PageResult<FileInfo>> {
  return apiHttp().request<PageResult<FileInfo>>({
    url: '/api/files',
    params: { current, pageSize },
    signal: options.signal,
    skipErrorHandler: options.silent,
  });
}

/** Absolute URL of a file's bytes (`FileInfo.url` is a path on the API host). */
export function fileUrl(apiBase: string, file: Pick<FileInfo, 'url'>): string {
  return /^https?:\/\//.test(file.url) ? file.url : `${apiBase}${file.url}`;
}
