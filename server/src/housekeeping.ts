import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from './config';
import type { Repositories } from './repositories/types';
import type { BlobStore } from './uploads/blob-store';

const HOUR = 60 * 60 * 1000;
/** An upload not completed within a day is abandoned: its chunks are deleted. */
export const ABANDONED_UPLOAD_MS = 24 * HOUR;
/** Expired and revoked session rows are kept a day (for "expired" vs "unknown" answers), then go. */
export const SESSION_RETENTION_MS = 24 * HOUR;

export interface HousekeepingReport {
  uploads: number;
  sessions: number;
}

/** Clean-up that keeps the data dir bounded; nothing a client can still use is touched. */
export class Housekeeping {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repos: Repositories,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
  ) {}

  /** At start-up nothing is in flight: whatever is in incoming/ was left by a crash. */
  async clearIncoming(): Promise<number> {
    const names = await fs.promises.readdir(this.blobs.incomingDir);
    await Promise.all(
      names.map((name) => this.blobs.discard(path.join(this.blobs.incomingDir, name))),
    );
    return names.length;
  }

  async run(): Promise<HousekeepingReport> {
    const now = this.clock.now();
    const abandoned = await this.repos.uploads.deleteAbandoned(now - ABANDONED_UPLOAD_MS);
    for (const id of abandoned) await this.blobs.discard(this.blobs.chunkFolder(id));
    const sessions = await this.repos.sessions.purge(now - SESSION_RETENTION_MS);
    return { uploads: abandoned.length, sessions };
  }

  /** Runs every `intervalMs` in the background (unref'd: it never keeps the process alive). */
  start(intervalMs = HOUR, onError: (error: unknown) => void = () => undefined): void {
    this.stop();
    this.timer = setInterval(() => void this.run().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
