/**
 * The album: choose images, upload them through the upload queue (per-file progress and
 * cancel, large files resumable), a paged grid of the user's uploads, preview, and save to
 * the phone's album with the permission flow (utils/album through the album port).
 */
import type { FileInfo } from '../../../typings/api';
import { fileUrl, listFiles } from '../../api/files';
import { formatBytes } from '../../services/format';
import { listPatch } from '../../services/list-diff';
import { PagedList } from '../../services/paged-list';
import type { PageTicket } from '../../services/paged-list';
import type { PageView } from '../../services/page-view';
import { Subscriptions } from '../../services/page-view';
import type { AlbumPort, SaveOutcome, UploadItemView, UploadPort } from '../../services/ports';
import { CancelGroup } from '../../utils/cancel';
import { isCancelled } from '../../utils/errors';

export interface UploadRow {
  id: string;
  name: string;
  sizeText: string;
  state: UploadItemView['state'];
  progress: number;
  resumable: boolean;
  error: string;
}

export interface FileCell {
  id: string;
  url: string;
  name: string;
  sizeText: string;
}

export interface AlbumData {
  uploads: UploadRow[];
  files: FileCell[];
  hasMore: boolean;
  total: number;
  filesState: 'loading' | 'ready' | 'empty' | 'error';
  loadingMore: boolean;
  saving: string;
}

export const INITIAL_ALBUM_DATA: AlbumData = {
  uploads: [],
  files: [],
  hasMore: true,
  total: 0,
  filesState: 'loading',
  loadingMore: false,
  saving: '',
};

export interface AlbumDeps {
  apiBase: string;
  uploads: UploadPort;
  album: AlbumPort;
  pageSize?: number;
}

export function uploadRow(item: UploadItemView): UploadRow {
  return {
    id: item.id,
    name: item.name,
    sizeText: formatBytes(item.size),
    state: item.state,
    progress: Math.max(0, Math.min(100, Math.round(item.progress))),
    resumable: item.resumable,
    error: item.error ?? '',
  };
}

export class AlbumController {
  readonly grid = new PagedList<FileCell>('files');
  private readonly subscriptions = new Subscriptions();
  private readonly requests = new CancelGroup();
  private rows: UploadRow[] = [];
  private readonly finished = new Set<string>();

  constructor(
    private readonly view: PageView<AlbumData>,
    private readonly deps: AlbumDeps,
  ) {}

  start(): Promise<void> {
    this.subscriptions.add(this.deps.uploads.subscribe((items) => this.onUploads(items)));
    this.onUploads(this.deps.uploads.list());
    return this.reloadFiles();
  }

  stop(): void {
    this.requests.cancelAll();
    this.subscriptions.releaseAll();
  }

  addFiles(files: Array<{ path: string; size: number; name?: string }>): void {
    if (files.length > 0) this.deps.uploads.add(files);
  }

  cancel(id: string): void {
    this.deps.uploads.cancel(id);
  }

  retry(id: string): void {
    this.deps.uploads.retry(id);
  }

  reloadFiles(): Promise<void> {
    const ticket = this.grid.restart();
    if (this.grid.length === 0) this.view.setData({ filesState: 'loading' });
    return this.loadPage(ticket);
  }

  loadMore(): Promise<void> {
    if (this.view.data.filesState !== 'ready') return Promise.resolve();
    const ticket = this.grid.next();
    if (!ticket) return Promise.resolve();
    this.view.setData({ loadingMore: true });
    return this.loadPage(ticket);
  }

  previewUrls(current: string): { urls: string[]; current: string } {
    return { urls: this.grid.view.map((file) => file.url), current };
  }

  async save(url: string): Promise<SaveOutcome> {
    this.view.setData({ saving: url });
    try {
      return await this.deps.album.save(url);
    } catch (_error) {
      return 'failed';
    } finally {
      this.view.setData({ saving: '' });
    }
  }

  private async loadPage(ticket: PageTicket): Promise<void> {
    try {
      // An empty grid shows the failure itself; a failed next page is told by a toast.
      const answer = await listFiles(ticket.page, this.deps.pageSize ?? 24, {
        signal: this.requests.signal,
        silent: this.grid.length === 0,
      });
      if (ticket.generation !== this.grid.generation) return;
      const cells = answer.list.map((file) => this.cell(file));
      const patch = this.grid.accept(ticket, { ...answer, list: cells }) ?? {};
      this.view.setData({
        ...patch,
        loadingMore: this.grid.loading,
        filesState: this.grid.length === 0 ? 'empty' : 'ready',
      });
    } catch (error) {
      if (isCancelled(error) || ticket.generation !== this.grid.generation) return;
      this.grid.fail(ticket);
      this.view.setData({
        loadingMore: false,
        filesState: this.grid.length === 0 ? 'error' : 'ready',
      });
    }
  }

  private cell(file: FileInfo): FileCell {
    return {
      id: file.id,
      url: fileUrl(this.deps.apiBase, file),
      name: file.filename,
      sizeText: formatBytes(file.size),
    };
  }

  private onUploads(items: UploadItemView[]): void {
    const next = items.map(uploadRow);
    const patch = listPatch('uploads', this.rows, next);
    this.rows = next;
    if (Object.keys(patch).length > 0) this.view.setData(patch);
    // A finished upload shows up in the grid: reload its first page once per file.
    const done = items.filter((item) => item.state === 'done' && !this.finished.has(item.id));
    if (done.length > 0) {
      done.forEach((item) => this.finished.add(item.id));
      void this.reloadFiles();
    }
  }
}
