const GROWTH = 1.08;
const LOG_GROWTH = Math.log(GROWTH);
/** Buckets cover 0 ms .. ~10 minutes at ~8% resolution: bounded memory whatever the traffic. */
const BUCKETS = Math.ceil(Math.log(600_001) / LOG_GROWTH) + 1;

const bucketOf = (ms: number): number =>
  Math.min(BUCKETS - 1, Math.floor(Math.log(Math.max(0, ms) + 1) / LOG_GROWTH));
/** Upper edge of a bucket, in ms. */
const edgeOf = (bucket: number): number => Math.round(GROWTH ** (bucket + 1) - 1);

export class LogHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;

  record(ms: number): void {
    this.counts[bucketOf(ms)]++;
    this.count++;
  }

  /** The value below which `p` (0..1) of the samples fall, to the bucket's resolution. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return edgeOf(i);
    }
    return edgeOf(BUCKETS - 1);
  }
}
