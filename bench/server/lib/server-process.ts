/**
 * Runs in a child process so the servers get their own core, apart from the load generator.
 * Starts the real API server and a bare Fastify route, prints one JSON line with both URLs,
 * and stops when its parent closes stdin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { startServer } from '../../../server/src/app';

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-server-'));
  const api = await startServer({
    dataDir,
    port: 0,
    logLevel: 'warn',
    // The fan-out bench sends 2 × 10 messages per client (a burst, then paced): within the defaults.
    chat: JSON.parse(process.env.BENCH_CHAT_LIMITS ?? '{}') as Record<string, number>,
  });
  const bare = Fastify({ logger: false });
  bare.get('/constant', async () => ({ success: true, data: 'ok', traceId: 'constant' }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const address = bare.server.address();
  const barePort = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(
    `${JSON.stringify({ api: api.url, bare: `http://127.0.0.1:${barePort}` })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await Promise.all([api.close(), bare.close()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
