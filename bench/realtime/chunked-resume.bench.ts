/// <reference types="miniprogram-api-typings" />
/**
 * Resumable upload: bytes sent again after an interruption and an app restart, versus the file
 * size (goal: at most one chunk). A 4 MB file in 128 KB chunks is interrupted at 20 random
 * points, half with the chunk in flight lost mid-body and half with it stored but its reply lost;
 * each time a fresh uploader (as after a restart, same storage) resumes it. Side by side:
 * a restart without the manifest/resume protocol re-sends the whole file. Also: the in-app
 * SHA-256 throughput next to node's native one (the device has no crypto.subtle).
 */
import { createHash } from 'crypto';
import { ChunkedUploader } from '../../miniprogram/utils/chunked-upload';
import { Sha256 } from '../../miniprogram/utils/sha256';
import type { FileWx } from '../../miniprogram/utils/wx-ports';
import { wxStorage } from '../../miniprogram/utils/wx-ports';
import { createFakeWx } from '../../test/unit/fake-wx';
import { createFilesFamily } from '../../test/unit/fake-wx/files';
import { createChunkServer } from '../../test/unit/realtime/chunk-server';

const FILE_SIZE = 4 * 1024 * 1024;
const CHUNK = 128 * 1024;
const CHUNKS = FILE_SIZE / CHUNK;
const RUNS = 20;
const PATH = 'wxfile://usr/big.bin';

function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

async function resumeRun(interruptAt: number, failMode: 'lost-body' | 'lost-reply') {
  const fake = createFakeWx();
  const files = fake.extend('files', createFilesFamily(fake.context));
  files.addFile(PATH, FILE_SIZE);
  const server = createChunkServer();
  const wx = fake.wx as unknown as FileWx;
  const storage = wxStorage(fake.wx);
  server.failOnPut = interruptAt + 1; // chunks 0..interruptAt-1 arrive, then the connection dies
  server.failMode = failMode;
  const first = new ChunkedUploader({ http: server, wx, storage, chunkSize: CHUNK });
  await first.upload(PATH).catch(() => undefined);
  const restarted = new ChunkedUploader({ http: server, wx, storage, chunkSize: CHUNK });
  const file = await restarted.upload(PATH);
  // Wire bytes beyond the file itself: the interrupted chunk plus anything sent twice.
  const resent = server.bytesOnWire - FILE_SIZE;
  const maxPerChunk = Math.max(...server.putCounts.values());
  return { ok: file.size === FILE_SIZE, resent, maxPerChunk };
}

/** Without the resume protocol the restarted app uploads the whole file again. */
function naiveResent(interruptAt: number): number {
  return (interruptAt + 1) * CHUNK;
}

function hashThroughput() {
  const data = new Uint8Array(16 * 1024 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
  let start = process.hrtime.bigint();
  const ours = new Sha256();
  for (let offset = 0; offset < data.length; offset += CHUNK)
    ours.update(data.subarray(offset, offset + CHUNK));
  const oursHex = ours.hex();
  const oursMs = Number(process.hrtime.bigint() - start) / 1e6;
  start = process.hrtime.bigint();
  const nativeHex = createHash('sha256').update(data).digest('hex');
  const nativeMs = Number(process.hrtime.bigint() - start) / 1e6;
  const mbps = (ms: number) => (data.length / 1024 / 1024 / (ms / 1000)).toFixed(0);
  return {
    same: oursHex === nativeHex,
    ours: mbps(oursMs),
    native: mbps(nativeMs),
    ratio: (oursMs / nativeMs).toFixed(1),
  };
}

async function main() {
  const random = prng(424242);
  const points = Array.from({ length: RUNS }, () => 1 + Math.floor(random() * (CHUNKS - 2)));
  let worst = 0;
  let total = 0;
  let naiveTotal = 0;
  let allOk = true;
  let maxPerChunk = 0;
  for (const [i, point] of points.entries()) {
    const run = await resumeRun(point, i % 2 === 0 ? 'lost-body' : 'lost-reply');
    allOk &&= run.ok;
    worst = Math.max(worst, run.resent);
    total += run.resent;
    naiveTotal += naiveResent(point);
    maxPerChunk = Math.max(maxPerChunk, run.maxPerChunk);
  }
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(
    `chunked resume: ${kb(FILE_SIZE)} file, ${kb(CHUNK)} chunks, interrupted at ${RUNS} random chunks then resumed after a restart`,
  );
  console.log(`  ${''.padEnd(36)}${'resumable'.padStart(12)}${'naive restart'.padStart(16)}`);
  console.log(
    `  ${'bytes re-sent, worst run'.padEnd(36)}${kb(worst).padStart(12)}${kb(naiveResent(Math.max(...points))).padStart(16)}`,
  );
  console.log(
    `  ${'bytes re-sent, mean per run'.padEnd(36)}${kb(total / RUNS).padStart(12)}${kb(naiveTotal / RUNS).padStart(16)}`,
  );
  console.log(
    `  ${'re-sent / file size, worst'.padEnd(36)}${`${((100 * worst) / FILE_SIZE).toFixed(2)}%`.padStart(12)}${`${((100 * naiveResent(Math.max(...points))) / FILE_SIZE).toFixed(1)}%`.padStart(16)}`,
  );
  console.log(`  ${'most PUTs of any one chunk'.padEnd(36)}${String(maxPerChunk).padStart(12)}`);
  const hash = hashThroughput();
  console.log(
    `  SHA-256 in TS ${hash.ours} MB/s vs node native ${hash.native} MB/s (${hash.ratio}x slower), digests equal: ${hash.same}`,
  );
  console.log(
    `  figure: resumed upload re-sent ${worst} bytes (worst of ${RUNS}) of ${FILE_SIZE}; goal ≤ one chunk (${CHUNK}): ${
      allOk && worst <= CHUNK ? 'met' : 'NOT met'
    }`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
