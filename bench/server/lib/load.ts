import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

export interface LoadOptions {
  url: (i: number) => string;
  headers?: Record<string, string>;
  concurrency: number;
  durationMs: number;
  /** Expected status; anything else counts as an error. */
  status?: number;
}

function get(agent: http.Agent, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      res.resume(); // discard the body without handing chunks to JS
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function summarise(latencies: number[], errors: number, seconds: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
  };
}

/** Closed loop: `concurrency` workers on keep-alive sockets, each sending the next request when the last one answers. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const status = await get(agent, options.url(counter++), options.headers ?? {});
        if (status !== (options.status ?? 200)) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return summarise(latencies, errors, seconds);
}

export interface OpenLoadOptions {
  url: (i: number) => string;
  headers?: Record<string, string>;
  /** Requests per second, issued on schedule whether or not earlier ones have answered. */
  rate: number;
  durationMs: number;
  status?: number;
}

export interface OpenLoadResult extends LoadResult {
  /** How late this generator issued requests behind their schedule (ms): p99 and worst. */
  lagP99: number;
  lagMax: number;
}

/**
 * Open loop at a fixed rate: request i is due at start + i/rate whether or not earlier ones
 * answered, so a slow reply does not slow the offered load. Latency counts from that due time,
 * not from the actual send: a stall (the server's, or this process's timer) delays every request
 * scheduled during it, and measuring from the send would hide that (coordinated omission).
 * The generator's own lateness is reported apart (lagP99/lagMax) so a reader can tell the two.
 */
export async function runOpenLoad(options: OpenLoadOptions): Promise<OpenLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const lags: number[] = [];
  let errors = 0;
  let issued = 0;
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const total = Math.floor((options.rate * options.durationMs) / 1000);
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * options.rate));
      while (issued < due) {
        const dueAt = start + (issued * 1000) / options.rate;
        lags.push(performance.now() - dueAt);
        const p = get(agent, options.url(issued), options.headers ?? {})
          .then(
            (status) => {
              if (status !== (options.status ?? 200)) errors++;
            },
            () => {
              errors++;
            },
          )
          .then(() => {
            latencies.push(performance.now() - dueAt);
            pending.delete(p);
          });
        pending.add(p);
        issued++;
      }
      if (issued >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const sortedLags = Float64Array.from(lags).sort();
  return {
    ...summarise(latencies, errors, seconds),
    lagP99: percentile(sortedLags, 0.99),
    lagMax: percentile(sortedLags, 1),
  };
}
