/**
 * compare.ts for jest: `node -r scripts/register-ts.js compare-cli.ts '<CompareJob JSON>'` prints
 * one JSON array of Comparison. Runs outside jest because pixelmatch is ESM-only.
 */
import fs from 'fs';
import { compareWithGallery } from './compare';

export interface CompareJob {
  /** Gallery image and fresh render, by path. */
  pairs: Array<{ gallery: string; actual: string }>;
  diffDir?: string;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as CompareJob;
  const results = [];
  for (const pair of job.pairs) {
    results.push(await compareWithGallery(pair.gallery, fs.readFileSync(pair.actual), job.diffDir));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
