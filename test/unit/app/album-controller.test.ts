import { setApiHttp } from '../../../miniprogram/api/client';
import {
  AlbumController,
  INITIAL_ALBUM_DATA,
  uploadRow,
} from '../../../miniprogram/pages/album/controller';
import type { AlbumPort, UploadItemView, UploadPort } from '../../../miniprogram/services/ports';
import type { FileInfo, PageResult } from '../../../typings/api';
import { fakeHttp, fakeView, settle } from './page-fakes';

function fakeUploads() {
  let items: UploadItemView[] = [];
  const listeners = new Set<(items: UploadItemView[]) => void>();
  const calls: string[] = [];
  const port: UploadPort = {
    add: (files) => calls.push(`add:${files.map((file) => file.path).join(',')}`),
    cancel: (id) => calls.push(`cancel:${id}`),
    retry: (id) => calls.push(`retry:${id}`),
    list: () => items,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    port,
    calls,
    set(next: UploadItemView[]) {
      items = next;
      listeners.forEach((listener) => listener(items));
    },
    listenerCount: () => listeners.size,
  };
}

const item = (id: string, state: UploadItemView['state'], progress: number): UploadItemView => ({
  id,
  name: `${id}.png`,
  path: `http://tmp/${id}.png`,
  size: 2048,
  state,
  progress,
  resumable: false,
});

function files(current: number, ids: string[], total: number): PageResult<FileInfo> {
  return {
    list: ids.map((id) => ({
      id,
      filename: `${id}.png`,
      mime: 'image/png',
      size: 100,
      sha256: 'x',
      url: `/files/${id}`,
      createdAt: 0,
    })),
    current,
    pageSize: 2,
    total,
  };
}

function setup(save: AlbumPort['save'] = async () => 'saved') {
  const http = fakeHttp();
  setApiHttp(http);
  const uploads = fakeUploads();
  const view = fakeView(INITIAL_ALBUM_DATA);
  const controller = new AlbumController(view, {
    apiBase: 'http://api',
    uploads: uploads.port,
    album: { save },
    pageSize: 2,
  });
  return { http, uploads, view, controller };
}

describe('AlbumController', () => {
  it('pages the grid of uploads with absolute URLs and previews them all', async () => {
    const t = setup();
    void t.controller.start();
    expect(t.view.data.filesState).toBe('loading');
    // An empty grid shows its own error state: no toast as well.
    expect(t.http.calls[0].options.skipErrorHandler).toBe(true);
    t.http.calls[0].resolve(files(1, ['a', 'b'], 3));
    await settle();
    expect(t.view.data.files.map((file) => file.url)).toEqual([
      'http://api/files/a',
      'http://api/files/b',
    ]);
    void t.controller.loadMore();
    expect(t.http.calls[1].options.params).toMatchObject({ current: 2, pageSize: 2 });
    // A failed next page has no state of its own on screen: the toast tells.
    expect(t.http.calls[1].options.skipErrorHandler).toBe(false);
    t.http.calls[1].resolve(files(2, ['c'], 3));
    await settle();
    expect(t.view.data).toMatchObject({ hasMore: false, loadingMore: false, filesState: 'ready' });
    expect(t.controller.previewUrls('http://api/files/b')).toEqual({
      urls: ['http://api/files/a', 'http://api/files/b', 'http://api/files/c'],
      current: 'http://api/files/b',
    });
  });

  it('shows empty and error states', async () => {
    const t = setup();
    void t.controller.start();
    t.http.calls[0].reject(new Error('down'));
    await settle();
    expect(t.view.data.filesState).toBe('error');
    void t.controller.reloadFiles();
    t.http.calls[1].resolve(files(1, [], 0));
    await settle();
    expect(t.view.data.filesState).toBe('empty');
  });

  it('sends upload progress as per-field path keys and reloads the grid once a file is done', async () => {
    const t = setup();
    void t.controller.start();
    t.http.calls[0].resolve(files(1, [], 0));
    await settle();
    t.controller.addFiles([{ path: 'http://tmp/u1.png', size: 2048 }]);
    expect(t.uploads.calls).toEqual(['add:http://tmp/u1.png']);
    t.uploads.set([item('u1', 'uploading', 10)]);
    expect(t.view.data.uploads[0]).toMatchObject({ id: 'u1', sizeText: '2.0 KB', progress: 10 });
    t.uploads.set([item('u1', 'uploading', 60)]);
    expect(t.view.patches[t.view.patches.length - 1]).toEqual({ 'uploads[0].progress': 60 });
    t.uploads.set([item('u1', 'done', 100)]);
    t.uploads.set([item('u1', 'done', 100)]);
    expect(t.http.calls).toHaveLength(2); // one reload for the finished file
    t.controller.cancel('u1');
    t.controller.retry('u1');
    expect(t.uploads.calls.slice(1)).toEqual(['cancel:u1', 'retry:u1']);
    t.controller.stop();
    expect(t.uploads.listenerCount()).toBe(0);
  });

  it('clamps progress to 0..100', () => {
    expect(uploadRow(item('x', 'uploading', 140)).progress).toBe(100);
    expect(uploadRow(item('x', 'uploading', -3)).progress).toBe(0);
  });

  it('reports the save outcome and never rejects', async () => {
    const t = setup(async () => 'denied');
    await expect(t.controller.save('http://api/files/a')).resolves.toBe('denied');
    expect(t.view.data.saving).toBe('');
    const broken = setup(async () => {
      throw new Error('boom');
    });
    await expect(broken.controller.save('u')).resolves.toBe('failed');
  });
});
