import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Bytes on disk under the data directory, never under a served folder: blobs/ holds finished
 * files under random names, incoming/ in-progress single uploads, chunks/<uploadId>/ chunk parts.
 */
export class BlobStore {
  readonly blobDir: string;
  readonly incomingDir: string;
  readonly chunkDir: string;

  constructor(dataDir: string) {
    this.blobDir = path.join(dataDir, 'blobs');
    this.incomingDir = path.join(dataDir, 'incoming');
    this.chunkDir = path.join(dataDir, 'chunks');
    for (const dir of [this.blobDir, this.incomingDir, this.chunkDir]) {
      fs.mkdirSync(dir, { recursive: true });
    }
  }

  static randomName(): string {
    return crypto.randomBytes(16).toString('hex');
  }

  incomingPath(): string {
    return path.join(this.incomingDir, BlobStore.randomName());
  }

  blobPath(storageName: string): string {
    return path.join(this.blobDir, assertSafeName(storageName));
  }

  chunkFolder(uploadId: string): string {
    return path.join(this.chunkDir, assertSafeName(uploadId));
  }

  chunkPath(uploadId: string, index: number): string {
    return path.join(this.chunkFolder(uploadId), String(index));
  }

  /** Moves a finished temp file in under a new random name; returns that name. */
  async adopt(tempPath: string): Promise<string> {
    const name = BlobStore.randomName();
    await fs.promises.rename(tempPath, this.blobPath(name));
    return name;
  }

  async discard(filePath: string): Promise<void> {
    await fs.promises.rm(filePath, { force: true, recursive: true });
  }
}

function assertSafeName(name: string): string {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(name)) throw new Error(`unsafe storage name ${name}`);
  return name;
}
