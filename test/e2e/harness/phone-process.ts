/**
 * The headless phone in its own process: simulator + control bridge. Run by global setup as
 * `node -r scripts/register-ts.js phone-process.ts '<PhoneOptions JSON>'`; prints one line
 * `PHONE-READY {"wsEndpoint":..., "controlUrl":...}` when both answer, and exits on SIGTERM.
 *
 * WHY a process of its own: whatever the simulated app leaves running (sockets, timers) cannot
 * keep jest alive after the run, and the simulator gets a core of its own instead of sharing
 * jest's event loop.
 */
import { startControlBridge } from './control-bridge';
import { startHeadless } from './phone';
import type { PhoneOptions } from './phone';
import { PHONE_READY_PREFIX } from './phone-launcher';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as PhoneOptions;
  const phone = await startHeadless(options);
  const bridge = await startControlBridge(phone, () => undefined);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Exit even if the app left something running; give a clean close a moment first.
    setTimeout(() => process.exit(0), 3000).unref();
    void Promise.allSettled([bridge.close(), phone.stop()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Killed parents cannot stop us: notice being orphaned instead.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
  process.stdout.write(
    PHONE_READY_PREFIX +
      JSON.stringify({ wsEndpoint: phone.wsEndpoint, controlUrl: bridge.url }) +
      '\n',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
